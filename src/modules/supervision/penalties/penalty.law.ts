/**
 * The clocks and steps every penalty case runs on, as data with the article that sets each
 * (《中华人民共和国行政处罚法》, revised 2021-01-22, in force 2021-07-15), and the publication rule of
 * the 行政执法公示制度. The quotes are the 2021 text's words; docs/enforcement.md lists them with the
 * same articles. The code reads the figures from here only (no bare numbers in the services).
 *
 * The hearing threshold (较大数额罚款, art. 63) is set by each province; the law gives no figure, so
 * it is a configuration value (ENFORCEMENT_HEARING_THRESHOLD_YUAN) with its default noted here.
 */

export const PENALTY_LAW = '《中华人民共和国行政处罚法》（2021年1月22日修订，2021年7月15日起施行）';

export interface LawCitation {
  /** The instrument, in Chinese. */
  law: string;
  /** 第N条 (and 款/项 where it matters), in Chinese. */
  article: string;
  /** The words of the article. */
  words: string;
}

const art = (article: string, words: string): LawCitation => ({ law: PENALTY_LAW, article, words });

export const PUBLICATION_RULE_SOURCE =
  '《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》（国办发〔2018〕118号）';

/** How a period is counted: calendar days (日), statutory working days (工作日), or years. */
export type ClockUnit = 'days' | 'working-days' | 'years';

export interface LawClock {
  key: string;
  /** What must happen, in Chinese. */
  label: string;
  amount: number;
  unit: ClockUnit;
  /** From what the period runs, in Chinese. */
  from: string;
  citation: LawCitation;
  note?: string;
}

/** 立案 is refused once the violation is older than this (art. 36). */
export const LIMITATION = {
  key: 'limitation',
  label: '追责时效：超过期限未被发现的，不再给予行政处罚',
  amount: 2,
  unit: 'years',
  from: '违法行为发生之日；有连续或者继续状态的，从行为终了之日起计算',
  citation: art(
    '第三十六条',
    '违法行为在二年内未被发现的，不再给予行政处罚；涉及公民生命健康安全、金融安全且有危害后果的，上述期限延长至五年。法律另有规定的除外。',
  ),
  /** The longer period for harm to life, health or financial safety. */
  extendedYears: 5,
} as const satisfies LawClock & { extendedYears: number };

export const DECISION_DUE = {
  key: 'decision',
  label: '作出行政处罚决定',
  amount: 90,
  unit: 'days',
  from: '立案之日',
  citation: art(
    '第六十条',
    '行政机关应当自行政处罚案件立案之日起九十日内作出行政处罚决定。法律、法规、规章另有规定的，从其规定。',
  ),
  note: '逾期作出决定须写明依据的另行规定或延期批准（记入审计日志）',
} as const satisfies LawClock;

export const HEARING_REQUEST = {
  key: 'hearing-request',
  label: '当事人要求听证',
  amount: 5,
  unit: 'days',
  from: '行政机关告知（事先告知书送达）之日',
  citation: art('第六十四条第（一）项', '当事人要求听证的，应当在行政机关告知后五日内提出'),
} as const satisfies LawClock;

export const HEARING_NOTICE = {
  key: 'hearing-notice',
  label: '通知当事人听证的时间、地点',
  amount: 7,
  unit: 'days',
  from: '举行听证之日前',
  citation: art(
    '第六十四条第（二）项',
    '行政机关应当在举行听证的七日前，通知当事人及有关人员听证的时间、地点',
  ),
} as const satisfies LawClock;

export const DECISION_DELIVERY = {
  key: 'decision-delivery',
  label: '送达行政处罚决定书（当事人不在场的）',
  amount: 7,
  unit: 'days',
  from: '作出（宣告）决定之日',
  citation: art(
    '第六十一条第一款',
    '行政处罚决定书应当在宣告后当场交付当事人；当事人不在场的，行政机关应当在七日内依照《中华人民共和国民事诉讼法》的有关规定，将行政处罚决定书送达当事人。',
  ),
} as const satisfies LawClock;

/** Electronic delivery needs the party's signed consent (decisions and, by the same rule here, orders). */
export const ELECTRONIC_DELIVERY = art(
  '第六十一条第二款',
  '当事人同意并签订确认书的，行政机关可以采用传真、电子邮件等方式，将行政处罚决定书等送达当事人。',
);

export const PAYMENT_DUE = {
  key: 'payment',
  label: '缴纳罚款',
  amount: 15,
  unit: 'days',
  from: '收到行政处罚决定书之日',
  citation: art(
    '第六十七条第三款',
    '当事人应当自收到行政处罚决定书之日起十五日内，到指定的银行或者通过电子支付系统缴纳罚款。',
  ),
} as const satisfies LawClock;

export const LATE_FEE = {
  key: 'late-fee',
  /** Per day of delay, as a share of the fine: 3 % = 3/100. */
  percentPerDay: 3,
  /** The late fee never exceeds the fine. */
  cappedAtFine: true,
  citation: art(
    '第七十二条第一款第（一）项',
    '到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不得超出罚款的数额',
  ),
} as const;

export const PUBLICATION_DUE = {
  key: 'publication',
  label: '公开行政处罚决定信息',
  amount: 7,
  unit: 'working-days',
  from: '作出行政处罚决定之日',
  citation: {
    law: PUBLICATION_RULE_SOURCE,
    article: '二、（三）',
    words: '行政许可、行政处罚的执法决定信息要在执法决定作出之日起7个工作日内公开',
  },
  note: `${PENALTY_LAW}第四十八条：具有一定社会影响的行政处罚决定应当依法公开。`,
} as const satisfies LawClock;

export const FIRST_VIOLATION = art(
  '第三十三条第一款',
  '初次违法且危害后果轻微并及时改正的，可以不予行政处罚。',
);

export const PRIOR_NOTICE = art(
  '第四十四条',
  '行政机关在作出行政处罚决定之前，应当告知当事人拟作出的行政处罚内容及事实、理由、依据，并告知当事人依法享有的陈述、申辩、要求听证等权利。',
);

export const STATEMENT = art('第四十五条第一款', '当事人有权进行陈述和申辩。');

export const HEARING_RIGHT = {
  citation: art(
    '第六十三条第一款',
    '行政机关拟作出下列行政处罚决定，应当告知当事人有要求听证的权利，当事人要求听证的，行政机关应当组织听证：（一）较大数额罚款',
  ),
  note: '“较大数额”由省级规定；本局按配置项 ENFORCEMENT_HEARING_THRESHOLD_YUAN（默认1万元）执行，罚款达到该数额即告知听证权利',
} as const;

export const LEGAL_REVIEW = art(
  '第五十八条',
  '在行政机关负责人作出行政处罚的决定之前，应当由从事行政处罚决定法制审核的人员进行法制审核；未经法制审核或者审核未通过的，不得作出决定。',
);

/** The clocks the deadlines dashboard and docs/enforcement.md list, in case order. */
export const CASE_CLOCKS: readonly LawClock[] = [
  LIMITATION,
  HEARING_REQUEST,
  HEARING_NOTICE,
  DECISION_DUE,
  DECISION_DELIVERY,
  PUBLICATION_DUE,
  PAYMENT_DUE,
];
