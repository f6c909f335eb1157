/**
 * The result categories of 双随机 spot checks (抽查检查结果) as data, each with where it is written.
 *
 * The document of the bureau names no result categories. The categories here are those of the
 * national 双随机 platform as the provincial platforms implement them; the copy consulted is the
 * public code of a provincial platform (浙江, GuanzhouSong/ZhejiangMicroEnt at commit
 * b2e194a95dfbf68806367fdb19ffc8f8a2cc6f10), whose list `scNewResultList` gives each category its
 * platform code (`platformCode` below, for an export to the provincial platform). Where this list
 * uses the wording of issue 9 instead of the platform's, the platform's words are quoted in
 * `citation.words` and the difference is noted.
 *
 * The publication deadline — within 20 working days of the check — is the figure of issue 9; the
 * State Council's 2019 opinion on 部门联合“双随机、一公开”监管 is where it is commonly taken from,
 * but that text was not found in the stored copies searched, so the citation says so.
 */

export interface ResultCitation {
  /** Where the words are written: a repository (owner/name) or a web page. */
  source: string;
  /** File in the repository, or null for a web page. */
  path: string | null;
  /** The exact words there. */
  words: string;
  note?: string;
}

export interface ResultCategory {
  /** Stable identifier, e.g. no-problem. */
  code: string;
  /** Chinese name as published in the 抽查结果公告. */
  name: string;
  /** The provincial platform's code of this category. */
  platformCode: string;
  /** A problem was found (the category calls for a follow-up or is itself a finding). */
  problem: boolean;
  citation: ResultCitation;
}

const PLATFORM = 'GuanzhouSong/ZhejiangMicroEnt';
const LIST = 'src/main/webapp/WEB-INF/views/js/pub/infobulletin/spotcheck_main.js';

const listed = (words: string, note?: string): ResultCitation => ({
  source: PLATFORM,
  path: LIST,
  words,
  ...(note ? { note } : {}),
});

export const RESULT_CATEGORIES: readonly ResultCategory[] = [
  {
    code: 'no-problem',
    name: '未发现问题',
    platformCode: '1',
    problem: false,
    citation: listed('{id: "1", text: "未发现问题"}'),
  },
  {
    code: 'corrected',
    name: '发现问题已责令改正',
    platformCode: 'E',
    problem: true,
    citation: listed(
      '{id: "E", text: "发现问题经责令已改正"}',
      '名称按 issue 9 的写法；平台写作“发现问题经责令已改正”，同一类别。该写法也见于常州市天宁区的公开通报（https://www.cztn.gov.cn/html/cztn/2017/MNCEPBOL_1030/111241.html：“发现问题已责令改正6户”）',
    ),
  },
  {
    code: 'follow-up',
    name: '发现问题待后续处理',
    platformCode: 'A',
    problem: true,
    citation: {
      source: PLATFORM,
      path: null,
      words: "<option value='A'>发现问题待后续处理</option>",
      note: '同一平台的检查结果录入表单（按文字检索找到，未记下文件路径）；发现问题而未当场改正的，转入后续处理（责令整改、立案）',
    },
  },
  {
    code: 'not-cooperating',
    name: '不配合检查情节严重',
    platformCode: '8',
    problem: true,
    citation: listed('{id: "8", text: "不配合检查情节严重"}'),
  },
  {
    code: 'no-activity',
    name: '未发现开展本次抽查涉及的经营活动',
    platformCode: 'F',
    problem: false,
    citation: listed('{id: "F", text: "未发现开展本次抽查涉及的经营活动"}'),
  },
  {
    code: 'not-found',
    name: '查无下落',
    platformCode: '6',
    problem: true,
    citation: listed(
      '{id: "6", text: "通过登记的住所（经营场所）无法联系"}',
      '名称按 issue 9 的写法；平台同一代码6在检查结果录入表单中写作“查无下落”',
    ),
  },
  {
    code: 'closed',
    name: '已关闭停业或正在组织清算',
    platformCode: '7',
    problem: false,
    citation: listed('{id: "7", text: "已关闭停业或正在组织清算"}'),
  },
  {
    code: 'deregistered',
    name: '注销',
    platformCode: '9',
    problem: false,
    citation: listed('{id: "9", text: "注销"}'),
  },
  {
    code: 'revoked',
    name: '被吊销',
    platformCode: '10',
    problem: false,
    citation: listed('{id: "10", text: "被吊销"}'),
  },
  {
    code: 'annulled',
    name: '被撤销',
    platformCode: '11',
    problem: false,
    citation: listed('{id: "11", text: "被撤销"}'),
  },
  {
    code: 'moved-away',
    name: '迁出',
    platformCode: '12',
    problem: false,
    citation: listed('{id: "12", text: "迁出"}'),
  },
];

export const resultCategory = (code: string | null): ResultCategory | undefined =>
  RESULT_CATEGORIES.find((c) => c.code === code);

/** The category a refusal to cooperate is published under. */
export const NOT_COOPERATING = 'not-cooperating';

/** How long the bureau has to publish a result: working days after the day of the check. */
export const PUBLICATION_DEADLINE = {
  workingDays: 20,
  from: '检查之日',
  citation: {
    source: 'issue 9（双随机 to 一公开）',
    path: null,
    words: 'the 抽查结果公告 published as a page, CSV and JSON within 20 working days of the check',
    note: '通常出自《国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》（国发〔2019〕5号）；在检索的资料中未找到原文，故引 issue 9',
  },
} as const;
