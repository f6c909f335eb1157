/**
 * Yearly campaigns (年度工作: 成品油年检, 典当拍卖年审, 生猪储备检查, 联合年报, 开发区考核) as DATA:
 * one mechanism (campaign.logic.ts) runs every regime from its definition here — never a module
 * per regime. Each step, clock and outcome carries the line of data-bundled/source.txt that
 * states it and the exact words (`at: [line, quote]`); `campaign.config.test.ts` checks every
 * quote against its line and that the line lies inside the regime (rules.data.ts `lines`).
 *
 * Where the document gives no clock for a step, the step has none (and the page says 原文未规定);
 * nothing here is invented. Calendar days where the document writes 日, working days where it
 * writes 工作日.
 */

import type { CategoryCode } from '../reference/index.ts';

/** Who acts at a step. `enterprise` files through its filing link (no staff account). */
export type StepActor = 'enterprise' | 'county' | 'city' | 'province';

export const ACTOR_NAME: Record<StepActor, string> = {
  enterprise: '企业',
  county: '县级主管部门',
  city: '市商务局',
  province: '省商务厅',
};

/**
 * What a step does:
 * - submit: the enterprise files its form and attachments (or staff enter them for it);
 * - review: a pre-review — forward to the next step, or return to the enterprise with a reason;
 * - decide: the decision — 合格 (passed) or 不合格 (failed), with written reasons;
 * - record: staff record what another authority decided (the province) — passed or failed.
 */
export type StepKind = 'submit' | 'review' | 'decide' | 'record';

export type Cite = readonly [line: number, quote: string];

export interface StepClock {
  /** calendar-days where the document writes 日, working-days where it writes 工作日. */
  unit: 'calendar-days' | 'working-days';
  amount: number;
  /** From when the step became current (the materials were received). */
  from: string;
  at: Cite;
}

export interface StepDefinition {
  key: string;
  label: string;
  actor: StepActor;
  kind: StepKind;
  clock?: StepClock;
  at: Cite;
}

/** A track: the steps one kind of enterprise goes through (retail through the county, …). */
export interface TrackDefinition {
  key: string;
  label: string;
  /** The register categories the track covers. */
  categories: readonly CategoryCode[];
  steps: readonly StepDefinition[];
}

export interface OutcomeDefinition {
  /**
   * What a pass is recorded as on the licence record, e.g. 年检合格, and the document that is the
   * marked copy (documents module type code); null when nothing is marked.
   */
  passMark: { text: string; at: Cite; documentType?: string } | null;
  /** What a failure leads to, and the written notice issued (documents module type code), if any. */
  onFail: { label: string; at: Cite; documentType?: string };
  /** When rectification fails too, and the document that reports it (documents module type code). */
  onRectificationFail: { label: string; at: Cite; documentType?: string; recipient?: string } | null;
}

export interface CampaignDefinition {
  key: string;
  regime: number;
  name: string;
  /** Who runs the campaign in the city (the responsible office named in the rules). */
  notice: {
    title: string;
    /** MM-DD: the notice must be dated on or before this day of the campaign's year. */
    dueBy: string | null;
    at: Cite;
    /** The document issued with the campaign (documents module type code). */
    documentType: 'annual-inspection-notice' | 'campaign-notice';
  };
  tracks: readonly TrackDefinition[];
  outcome: OutcomeDefinition;
  /** Another body acting with the city, e.g. the finance bureau. */
  partners?: { label: string; at: Cite };
  /** Scores rather than filings (development zones): see zone.logic.ts. */
  scored?: boolean;
  /**
   * Where the legal basis the regime relies on was repealed or moved: what the campaign page and
   * notice say, with the source of the fact (../shared/docs/legal-status.md of the project brief).
   * A campaign on such a basis still runs, with the reason recorded when it is opened.
   */
  staleBasis?: { note: string; current: string; source: string };
}

export const CAMPAIGNS: readonly CampaignDefinition[] = [
  {
    key: 'refined-oil-annual',
    regime: 4,
    name: '成品油经营企业年检',
    staleBasis: {
      note: '本制度所依据的《成品油市场管理办法》（商务部令2006年第23号）已于2020-07-01废止（商务部令2020年第1号）',
      current: '《成品油流通管理办法》（商务部令2025年第4号），自2025-09-01起施行',
      source: 'legal-status.md：spglobal 2020-07-06；english.mofcom.gov.cn 2020-07',
    },
    notice: {
      title: '年检通知',
      dueBy: '01-30',
      at: [1492, '每年1月30日前,由市商务局根据省商务厅统一安排下发《年检通知》'],
      documentType: 'annual-inspection-notice',
    },
    tracks: [
      {
        key: 'retail',
        label: '成品油零售企业（经县级主管部门初审）',
        categories: ['refined-oil-retail'],
        steps: [
          {
            key: 'file',
            label: '填报《成品油经营企业年度检查登记表》并提交材料',
            actor: 'enterprise',
            kind: 'submit',
            at: [1494, '持证企业在规定期限内填报《成品油经营企业年度检查登记表》'],
          },
          {
            key: 'county-review',
            label: '县级成品油主管部门收齐初审后报市商务局',
            actor: 'county',
            kind: 'review',
            at: [1496, '成品油零售经营资格企业的年检材料由各县级成品油主管部门收齐初审后报市商务局'],
          },
          {
            key: 'city-decision',
            label: '市商务局完成年检',
            actor: 'city',
            kind: 'decide',
            clock: {
              unit: 'calendar-days',
              amount: 20,
              from: '收到年检材料之日',
              at: [1496, '市商务局自收到年检材料之日起20日内完成年检工作'],
            },
            at: [1496, '市商务局自收到年检材料之日起20日内完成年检工作'],
          },
        ],
      },
      {
        key: 'wholesale',
        label: '成品油批发、仓储企业（报市商务局，由市统一报省商务厅）',
        categories: ['refined-oil-wholesale'],
        steps: [
          {
            key: 'file',
            label: '填报《成品油经营企业年度检查登记表》并提交材料',
            actor: 'enterprise',
            kind: 'submit',
            at: [1494, '持证企业在规定期限内填报《成品油经营企业年度检查登记表》'],
          },
          {
            key: 'city-forward',
            label: '市商务局收取材料，统一报省商务厅',
            actor: 'city',
            kind: 'review',
            at: [1498, '直接报市商务局，由市商务局统一报省商务厅年检'],
          },
          {
            key: 'province-decision',
            label: '省商务厅年检结果（由市商务局登记）',
            actor: 'province',
            kind: 'record',
            at: [1498, '由市商务局统一报省商务厅年检'],
          },
        ],
      },
    ],
    outcome: {
      passMark: {
        text: '年检合格',
        at: [1500, '在许可证副本上出具“年检合格”意见'],
        documentType: 'annual-inspection-mark',
      },
      onFail: {
        label: '书面告知企业并限期整改',
        at: [1500, '对不符合条件的企业书面告知企业并限期整改'],
        documentType: 'annual-inspection-failure',
      },
      onRectificationFail: {
        label: '报省商务厅撤销其零售经营资格',
        at: [1500, '经整改仍不合格的，由市商务局报省商务厅撤销其零售经营资格'],
        documentType: 'revocation-report',
        recipient: '河北省商务厅',
      },
    },
  },
  {
    key: 'pawn-auction-annual',
    regime: 5,
    name: '典当、拍卖企业年审',
    staleBasis: {
      note: '典当行业的监管职责已于2018-04-20由商务部门划转银保监会（现国家金融监督管理总局）',
      current: '典当行业监督管理由金融监督管理部门负责；拍卖仍属商务部门',
      source: 'legal-status.md：caixinglobal 2018-05-15',
    },
    notice: {
      title: '年审通知（协助省商务厅通知）',
      dueBy: null,
      at: [1549, '协助省商务厅通知取得典当经营许可的典当、拍卖企业开展监督检查工作'],
      documentType: 'campaign-notice',
    },
    tracks: [
      {
        key: 'pawn-auction',
        label: '典当、拍卖企业',
        categories: ['pawn', 'auction'],
        steps: [
          {
            key: 'file',
            label: '企业报送年审材料',
            actor: 'enterprise',
            kind: 'submit',
            at: [1549, '协助省商务厅通知取得典当经营许可的典当、拍卖企业开展监督检查工作'],
          },
          {
            key: 'city-check',
            label: '市商务局协助检查，将监督检查的相关资料归档',
            actor: 'city',
            kind: 'review',
            at: [1549, '将监督检查的相关资料归档'],
          },
          {
            key: 'province-decision',
            label: '省商务厅年审结果（由市商务局登记）',
            actor: 'province',
            kind: 'record',
            at: [1543, '协助省厅对典当、拍卖企业开展年检工作'],
          },
        ],
      },
    ],
    outcome: {
      passMark: null,
      onFail: { label: '责令限期整改', at: [1543, '对不合格的企业责令限期整改'] },
      onRectificationFail: null,
    },
  },
  {
    key: 'pig-reserve-check',
    regime: 6,
    name: '市级生猪活体储备企业检查',
    notice: {
      title: '储备检查安排',
      dueBy: null,
      at: [1564, '市商务局要经常对储备基地进行常规检查'],
      documentType: 'campaign-notice',
    },
    partners: { label: '市财政局', at: [1564, '市财政局要加强储备补贴资金的管理'] },
    tracks: [
      {
        key: 'reserve',
        label: '市级生猪储备企业',
        categories: ['pig-reserve'],
        steps: [
          {
            key: 'city-check',
            label: '市商务局常规检查（储备数量、质量）',
            actor: 'city',
            kind: 'decide',
            at: [1564, '确保市级活体储备数量充足、质量优良'],
          },
        ],
      },
    ],
    outcome: {
      passMark: null,
      onFail: {
        label: '追究有关人员责任，收缴截留的储备补贴资金，取消储备资格',
        at: [1564, '并取消储备资格'],
      },
      onRectificationFail: null,
    },
  },
  {
    key: 'foreign-joint-report',
    regime: 10,
    name: '外商投资企业联合年报核查',
    notice: {
      title: '联合年报通知（商务部印发、省商务厅公告）',
      dueBy: null,
      at: [1742, '商务部每年印发联合年报通知，省商务厅发布联合年报公告后'],
      documentType: 'campaign-notice',
    },
    partners: { label: '财政、税务、统计、外汇部门', at: [1742, '我局和财政、税务、统计、外汇部门联合核对'] },
    tracks: [
      {
        key: 'foreign-invested',
        label: '市属外商投资企业',
        categories: ['foreign-invested'],
        steps: [
          {
            key: 'file',
            label: '企业在联合年报网上输入有关数据',
            actor: 'enterprise',
            kind: 'submit',
            at: [1742, '企业在联合年报网上输入有关数据'],
          },
          {
            key: 'city-compare',
            label: '核查有关数据并与上年比对；如有重大变化，核查审计报告等财务报表',
            actor: 'city',
            kind: 'decide',
            at: [
              1722,
              '在联合年报网上核查企业有关数据并与上年比对，如有重大变化，则具体核查企业审计报告等财务报表',
            ],
          },
        ],
      },
    ],
    outcome: {
      passMark: { text: '已完成联合年报', at: [1754, '企业完成联合年报后，在商务部网上公布名单'] },
      onFail: { label: '责令限期改正', at: [1692, '外商投资企业是否参加联合年报，是否按要求报送数据等'] },
      onRectificationFail: null,
    },
  },
  {
    key: 'development-zone-evaluation',
    regime: 11,
    name: '省级经济开发区综合发展水平评价（初审）',
    notice: {
      title: '考核督查安排',
      dueBy: null,
      at: [1821, '对全市省级经济开发区每年考核进行初审评价一次，初审结果上报省商务局'],
      documentType: 'campaign-notice',
    },
    scored: true,
    tracks: [
      {
        key: 'zone',
        label: '省级经济开发区（园区）',
        categories: ['development-zone'],
        steps: [
          {
            key: 'city-review',
            label: '市商务局初审评价',
            actor: 'city',
            kind: 'review',
            at: [1821, '对全市省级经济开发区每年考核进行初审评价一次'],
          },
          {
            key: 'province-decision',
            label: '初审结果上报省商务局（登记评价结果）',
            actor: 'province',
            kind: 'record',
            at: [1821, '初审结果上报省商务局'],
          },
        ],
      },
    ],
    outcome: {
      passMark: null,
      onFail: {
        label: '连续两年排名后三名的，向省商务厅提出摘牌建议',
        at: [1825, '按规定向省商务厅提出建议予以摘牌'],
      },
      onRectificationFail: null,
    },
  },
];

export function campaignDefinition(key: string): CampaignDefinition | undefined {
  return CAMPAIGNS.find((c) => c.key === key);
}

export function trackOf(def: CampaignDefinition, categories: readonly string[]): TrackDefinition | undefined {
  return def.tracks.find((t) => t.categories.some((c) => categories.includes(c)));
}
