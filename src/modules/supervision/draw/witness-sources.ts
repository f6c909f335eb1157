/**
 * The registry of witness sources (见证值来源) a version-2 commitment may name, as data. Each fixes
 * where the witness comes from, how its draw is named (期号 or round), and the canonical form of its
 * value (`format`, docs/draws.md "Witness"). The commitment binds id, reference and format, so after
 * the commitment nobody can choose another source, another draw of it, or another spelling.
 *
 * Citations: where each fact was read. The lotteries' result formats are from their game rules;
 * pages reproduced by third parties are named as such.
 */

export interface WitnessCitation {
  /** The document or page. */
  title: string;
  url: string;
  /** What it says that the entry relies on. */
  says: string;
}

export interface WitnessSource {
  /** Stable id written into the commitment, ASCII. */
  id: string;
  /** Chinese name shown to staff and the public. */
  name: string;
  kind: 'lottery' | 'beacon';
  /** Canonical form of the value (docs/draws.md): `groups:<k>@<min>-<max>,…` or `hex:<n>`. */
  format: string;
  /** The reference naming one draw of the source. */
  reference: {
    /** What it is called (期号, round). */
    label: string;
    /** Regular expression (anchored) a canonical reference matches. */
    pattern: string;
    example: string;
  };
  /** How the value is written when published, in Chinese, and an example of a typed value. */
  value: { label: string; example: string };
  /** When a draw of the source takes place (Beijing time), in Chinese. */
  schedule: string;
  /** Where the public reads the value. */
  publishedAt: string;
  citations: WitnessCitation[];
}

export const WITNESS_SOURCES: readonly WitnessSource[] = [
  {
    id: 'cwl-ssq',
    name: '中国福利彩票双色球',
    kind: 'lottery',
    format: 'groups:6@1-33,1@1-16',
    reference: { label: '期号（4位年份加3位序号）', pattern: '^[0-9]{7}$', example: '2026055' },
    value: {
      label: '开奖号码：红色球6个（01–33，不重复）和蓝色球1个（01–16）',
      example: '红球 02 09 14 21 27 33 蓝球 08',
    },
    schedule: '每周二、四、日 21:15（北京时间）开奖',
    publishedAt: 'https://www.cwl.gov.cn/',
    citations: [
      {
        title: '《中国福利彩票双色球游戏规则》（中国福利彩票发行管理中心；第三方转载页）',
        url: 'http://huoxihuo.cn/youxizhishi/15666.html',
        says: '每注投注号码由6个红色球号码和1个蓝色球号码组成。红色球号码从01-33中选择；蓝色球号码从01-16中选择。',
      },
      {
        title: '双色球开奖时间（第三方介绍页）',
        url: 'https://ksdka.cn/solution/260751.html',
        says: '开奖通常在每周二、周四和周日晚上21:15进行；例如2025年1月16日开奖的期号为2025007。',
      },
    ],
  },
  {
    id: 'cslc-dlt',
    name: '中国体育彩票超级大乐透',
    kind: 'lottery',
    format: 'groups:5@1-35,2@1-12',
    reference: { label: '期号（2位年份加3位序号）', pattern: '^[0-9]{5}$', example: '26055' },
    value: {
      label: '开奖号码：前区5个（01–35，不重复）和后区2个（01–12，不重复）',
      example: '前区 03 11 19 27 35 后区 02 09',
    },
    schedule: '每周一、三、六 21:25（北京时间）开奖',
    publishedAt: 'https://www.lottery.gov.cn/',
    citations: [
      {
        title: '《超级大乐透游戏规则》（国家体育总局体育彩票管理中心）',
        url: 'https://www.lottery.gov.cn/',
        says: '前区号码从01—35中选择5个，后区号码从01—12中选择2个（本项目的资料库中未找到规则原文页面，按规则名称引用，部署前请核对）。',
      },
    ],
  },
  {
    id: 'drand-quicknet',
    name: 'drand 公共随机信标（quicknet，League of Entropy）',
    kind: 'beacon',
    format: 'hex:64',
    reference: { label: '轮次（round）', pattern: '^[1-9][0-9]{0,11}$', example: '27946612' },
    value: {
      label: '该轮次的 randomness：64位十六进制字符',
      example: 'a87619810b1b41e70a01b8f903cf69977e026f80d9fd5e4c197c298a96c61cfe',
    },
    schedule: '每3秒一轮；轮次与时间的对应见该链的 chain info（genesis_time、period）',
    publishedAt: 'https://api.drand.sh/v2/beacons/quicknet/rounds/<轮次>',
    citations: [
      {
        title: 'drand HTTP API',
        url: 'https://docs.drand.love/developer/http-api',
        says: 'GET /public/<round> (v2: /v2/beacons/quicknet/rounds/<round>) answers {"round", "randomness", "signature"}; randomness is 64 hex characters.',
      },
    ],
  },
];

/** The registered source with this id, or undefined. */
export function witnessSourceOf(id: string): WitnessSource | undefined {
  return WITNESS_SOURCES.find((s) => s.id === id);
}
