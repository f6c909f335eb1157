/**
 * The 15 supervision regimes of part 3 (事中事后监管制度) as rules the software enforces, kept as
 * data. Every figure carries a citation: the regime (its order, seq 1–15, as imported) and the line
 * of data-bundled/source.txt that states it, with the exact words quoted. Where the document gives no
 * figure, the rule says so (`value: null`, note NOT_STATED) — nothing here is invented.
 *
 * `test/supervision-rules.test.ts` reads the source file and checks that every quote is on its line,
 * inside its regime, and that the quoted words express the figure (numbers, Chinese numerals, 万).
 *
 * Where the document says 原则上 ("as a rule") the figure is a default (`asARule: true`); a plan may
 * deviate with a recorded reason and a reviewer's approval (plans.service.ts).
 */

import { addWorkingDays } from '../../../lib/workdays.ts';
import type { CategoryCode } from '../reference/index.ts';

export const NOT_STATED = 'not stated in the document';
export const NOT_STATED_ZH = '原文未规定';

/** Where a figure comes from: the regime, the line of source.txt, and the words on that line. */
export interface Citation {
  regime: number;
  line: number;
  /** An exact substring of the line. */
  quote: string;
}

export interface Stated<T> {
  value: T;
  citation: Citation;
  /** The document says 原则上: a default a supervisor may override with a recorded reason. */
  asARule: boolean;
  note?: string;
}

export interface NotStated {
  value: null;
  citation: null;
  note: typeof NOT_STATED;
}

export type Figure<T> = Stated<T> | NotStated;

/** A list of rules that is either non-empty or explicitly not stated. */
export interface RuleList<T> {
  items: T[];
  /** NOT_STATED exactly when `items` is empty. */
  note: typeof NOT_STATED | null;
}

/** A piece of text taken from the document, e.g. a method or a frequency remark. */
export interface CitedText {
  text: string;
  citation: Citation;
}

export interface DeadlineRule {
  key: string;
  /** What must happen by the deadline, in Chinese. */
  label: string;
  /**
   * working-days: statutory working days (workdays.ts); days: the document writes 日 without saying
   * working days; date: a fixed day of the year (month, day).
   */
  unit: 'working-days' | 'days' | 'date';
  /** Number of days, or null for a date. */
  amount: number | null;
  /** For unit 'date': 'MM-DD'. */
  date: string | null;
  /** From what the period runs, in Chinese. */
  from: string | null;
  citation: Citation;
  note?: string;
}

export type PenaltyKind =
  | 'fine'
  | 'ban'
  | 'revocation'
  | 'warning'
  | 'policy-support-loss'
  | 'delisting'
  | 'publication'
  | 'referral'
  | 'voidance'
  | 'disqualification';

export interface PenaltyRule {
  key: string;
  kind: PenaltyKind;
  /** The conduct that triggers it, in Chinese. */
  violation: string;
  /** The consequence, in Chinese. */
  label: string;
  /** Condition before the penalty applies (e.g. 逾期仍不改正), or null. */
  precondition: string | null;
  /** Fine range in yuan (null when the document gives no bound). */
  minYuan: number | null;
  maxYuan: number | null;
  /** Fine as a multiple of the illegal gain (违法所得), e.g. 3 for 三倍以下. */
  maxMultipleOfGain: number | null;
  /** Duration in years (ban, loss of policy support), null when none. */
  minYears: number | null;
  maxYears: number | null;
  /** Other figures of the condition (e.g. 12 months, 3 penalties; 2 years, bottom 3). */
  figures: Record<string, number>;
  citation: Citation;
}

export interface RegimeRule {
  /** Order in part 3, as imported (regimes.seq). */
  seq: number;
  /** Title as imported (regimes.title). */
  title: string;
  /** First and last line of the regime in source.txt. */
  lines: { from: number; to: number };
  /** Who is supervised. */
  subjects: { categories: CategoryCode[]; citations: Citation[]; note?: string };
  /** Minimum share of the supervised entities checked per year (0.10 = 10 %). */
  minSamplingRatio: Figure<number>;
  /** Spot-check rounds per year. */
  roundsPerYear: Figure<{ min: number; max: number }>;
  /** Minimum staff on each check. */
  minInspectors: Figure<number>;
  /** Checks at any time on a complaint (随时 / 根据投诉举报), when the document says so. */
  onComplaint: Figure<true>;
  /** Other statements about frequency (quarterly visits, annual reviews …). */
  frequencyNotes: CitedText[];
  /** How checks are made (检查方式), quoted. */
  methods: CitedText[];
  deadlines: RuleList<DeadlineRule>;
  penalties: RuleList<PenaltyRule>;
  /** What a required document must state (e.g. the 执法监督通知（决定）书), quoted item by item. */
  documentContents: RuleList<CitedText & { document: string }>;
}

const notStated: NotStated = { value: null, citation: null, note: NOT_STATED };
const none = <T>(): RuleList<T> => ({ items: [], note: NOT_STATED });
const list = <T>(items: T[]): RuleList<T> => ({ items, note: null });

/** Citation helper bound to one regime. */
function citer(regime: number) {
  const cite = (line: number, quote: string): Citation => ({ regime, line, quote });
  const stated = <T>(value: T, line: number, quote: string, asARule: boolean, note?: string): Stated<T> => ({
    value,
    citation: cite(line, quote),
    asARule,
    ...(note ? { note } : {}),
  });
  const text = (line: number, quote: string): CitedText => ({ text: quote, citation: cite(line, quote) });
  return { cite, stated, text };
}

interface PenaltyInput {
  key: string;
  kind: PenaltyKind;
  violation: string;
  label: string;
  precondition?: string;
  minYuan?: number;
  maxYuan?: number;
  maxMultipleOfGain?: number;
  minYears?: number;
  maxYears?: number;
  figures?: Record<string, number>;
}

function penalty(citation: Citation, p: PenaltyInput): PenaltyRule {
  return {
    key: p.key,
    kind: p.kind,
    violation: p.violation,
    label: p.label,
    precondition: p.precondition ?? null,
    minYuan: p.minYuan ?? null,
    maxYuan: p.maxYuan ?? null,
    maxMultipleOfGain: p.maxMultipleOfGain ?? null,
    minYears: p.minYears ?? null,
    maxYears: p.maxYears ?? null,
    figures: p.figures ?? {},
    citation,
  };
}

// ───────────────────────────── the 15 regimes ─────────────────────────────

const r1 = citer(1);
const r2 = citer(2);
const r3 = citer(3);
const r4 = citer(4);
const r5 = citer(5);
const r6 = citer(6);
const r7 = citer(7);
const r8 = citer(8);
const r9 = citer(9);
const r10 = citer(10);
const r11 = citer(11);
const r12 = citer(12);
const r13 = citer(13);
const r14 = citer(14);
const r15 = citer(15);

const NOTICE = '执法监督通知（决定）书';

export const REGIME_RULES: readonly RegimeRule[] = [
  {
    seq: 1,
    title: '对属地管理的行政执法职权的监督检查',
    lines: { from: 1193, to: 1261 },
    subjects: {
      categories: ['county-bureau'],
      citations: [r1.cite(1197, '依法行使属地管理事项职权即从事行政执法活动的商务主管部门及其工作人员')],
    },
    minSamplingRatio: notStated,
    roundsPerYear: r1.stated(
      { min: 1, max: 2 },
      1213,
      '原则上每年一到两次',
      true,
      '省商务厅组织开展执法监督检查的频次',
    ),
    minInspectors: notStated,
    onComplaint: notStated,
    frequencyNotes: [],
    methods: [r1.text(1212, '可以采取自查、互查、抽查的方式进行，或者以上几种方式结合进行')],
    deadlines: list([
      {
        key: 'review-request',
        label: '被检查单位对《执法监督通知（决定）书》不服，申请复查',
        unit: 'working-days',
        amount: 10,
        date: null,
        from: '收到《执法监督通知（决定）书》之日',
        citation: r1.cite(1231, '可以在收到《执法监督通知（决定）书》之日起10个工作日内'),
      },
      {
        key: 'review-decision',
        label: '发出机构作出复查决定',
        unit: 'working-days',
        amount: 15,
        date: null,
        from: '接到复查申请之日',
        citation: r1.cite(1231, '应当自接到复查申请之日起15个工作日内做出复查决定'),
      },
    ]),
    penalties: none(),
    documentContents: list([
      { document: NOTICE, ...r1.text(1226, '被检查的商务主管部门的名称') },
      { document: NOTICE, ...r1.text(1227, '认定的事实和理由') },
      { document: NOTICE, ...r1.text(1228, '处理的决定和依据') },
      { document: NOTICE, ...r1.text(1229, '执行处理决定的方式和期限') },
      {
        document: NOTICE,
        ...r1.text(1230, '执行检查的机构名称和做出《执法监督通知（决定）书》的日期，并加盖印章'),
      },
    ]),
  },
  {
    seq: 2,
    title: '对行政审批事项受委托机关的监督',
    lines: { from: 1262, to: 1372 },
    subjects: {
      categories: ['county-bureau'],
      citations: [r2.cite(1268, '受市商务局委托行使行政许可职权的行政机关')],
    },
    minSamplingRatio: notStated,
    roundsPerYear: r2.stated({ min: 1, max: 2 }, 1316, '原则上一年一到两次', true),
    minInspectors: r2.stated(2, 1318, '应当委派两名以上工作人员进行', false),
    onComplaint: r2.stated(true, 1316, '收到举报投诉的随时进行检查', false),
    frequencyNotes: [],
    methods: [
      r2.text(1302, '听取行政许可实施机关的汇报'),
      r2.text(1304, '对行政许可案卷进行评查'),
      r2.text(1308, '对行政许可实施情况进行专项调查、定期检查和综合检查'),
    ],
    deadlines: none(),
    penalties: none(),
    documentContents: none(),
  },
  {
    seq: 3,
    title: '对取消权力事项的监管',
    lines: { from: 1373, to: 1445 },
    subjects: {
      categories: ['foreign-invested', 'auction'],
      citations: [r3.cite(1379, '外商投资企业、拍卖企业等')],
      note: '原文以“等”结尾：所列两类之外的监管对象未列明',
    },
    minSamplingRatio: r3.stated(0.1, 1415, '每年抽选不少于10%的企业进行现场检查', false),
    roundsPerYear: r3.stated({ min: 1, max: 2 }, 1411, '每年原则上检查一到两次', true),
    minInspectors: notStated,
    onComplaint: r3.stated(true, 1411, '如有举报投诉，随时进行检查', false),
    frequencyNotes: [r3.text(1401, '每季度定期进行实地监督检查')],
    methods: [
      r3.text(1397, '对经营情况进行专项调查、定期检查和综合检查'),
      r3.text(1403, '随机抽取企业，查阅许可或备案文件和资料，结合实地检查情况进行评查'),
    ],
    deadlines: none(),
    penalties: none(),
    documentContents: none(),
  },
  {
    seq: 4,
    title: '成品油流通市场监督管理',
    lines: { from: 1446, to: 1508 },
    subjects: {
      categories: ['refined-oil-retail', 'refined-oil-wholesale'],
      citations: [r4.cite(1450, '取得成品油零售经营资格的企业，取得成品油批发、仓储经营资格的企业')],
    },
    minSamplingRatio: r4.stated(0.1, 1486, '每年原则上抽查不少于10%的企业', true),
    roundsPerYear: notStated,
    minInspectors: notStated,
    onComplaint: notStated,
    frequencyNotes: [
      r4.text(1482, '要求取得成品油经营资格的企业每年定期上报年检材料'),
      r4.text(1486, '对企业开展不定期检查'),
    ],
    methods: [r4.text(1482, '年检'), r4.text(1484, '日常监督、检查'), r4.text(1486, '对企业开展不定期检查')],
    deadlines: list([
      {
        key: 'annual-review-notice',
        label: '市商务局下发《年检通知》',
        unit: 'date',
        amount: null,
        date: '01-30',
        from: null,
        citation: r4.cite(1492, '每年1月30日前'),
      },
      {
        key: 'annual-review-completion',
        label: '市商务局完成成品油零售经营资格企业的年检工作',
        unit: 'days',
        amount: 20,
        date: null,
        from: '收到年检材料之日',
        citation: r4.cite(1496, '市商务局自收到年检材料之日起20日内完成年检工作'),
        note: '原文写作“20日”，未写明是否为工作日',
      },
    ]),
    penalties: list([
      penalty(r4.cite(1500, '经整改仍不合格的，由市商务局报省商务厅撤销其零售经营资格'), {
        key: 'revoke-retail-qualification',
        kind: 'revocation',
        violation: '年检不合格，限期整改后仍不合格',
        label: '由市商务局报省商务厅撤销零售经营资格',
        precondition: '书面告知并限期整改后仍不合格',
      }),
    ]),
    documentContents: none(),
  },
  {
    seq: 5,
    title: '内贸特种行业监管',
    lines: { from: 1509, to: 1553 },
    subjects: {
      categories: ['auction', 'pawn'],
      citations: [
        r5.cite(1515, '取得拍卖经营许可的拍卖行及分支机构'),
        r5.cite(1517, '取得典当经营许可的典当行及分支机构'),
      ],
    },
    minSamplingRatio: notStated,
    roundsPerYear: notStated,
    minInspectors: notStated,
    onComplaint: notStated,
    frequencyNotes: [],
    methods: [r5.text(1533, '信息系统监管'), r5.text(1535, '市、县（市、区）商务部门日常检查')],
    deadlines: none(),
    penalties: none(),
    documentContents: none(),
  },
  {
    seq: 6,
    title: '对市级生猪活体储备企业的监管',
    lines: { from: 1554, to: 1564 },
    subjects: { categories: ['pig-reserve'], citations: [r6.cite(1556, '市级生猪储备企业')] },
    minSamplingRatio: notStated,
    roundsPerYear: notStated,
    minInspectors: notStated,
    onComplaint: notStated,
    frequencyNotes: [r6.text(1564, '市商务局要经常对储备基地进行常规检查')],
    methods: [r6.text(1564, '经常对储备基地进行常规检查')],
    deadlines: none(),
    penalties: list([
      penalty(r6.cite(1564, '除将截留的储备补贴资金全部收缴市级财政外，并取消储备资格'), {
        key: 'cancel-reserve-status',
        kind: 'disqualification',
        violation: '违反储备补贴资金等规定',
        label: '截留的储备补贴资金全部收缴市级财政，并取消储备资格',
      }),
    ]),
    documentContents: none(),
  },
  {
    seq: 7,
    title: '单用途商业预付卡监管',
    lines: { from: 1565, to: 1605 },
    subjects: {
      categories: ['prepaid-card-issuer'],
      citations: [r7.cite(1571, '全省发售单用途预付卡的品牌、集团以及规模以上企业')],
    },
    minSamplingRatio: r7.stated(0.1, 1585, '原则上每年一到两次，检查不少于备案企业的10%', true),
    roundsPerYear: r7.stated({ min: 1, max: 2 }, 1585, '原则上每年一到两次', true),
    minInspectors: notStated,
    onComplaint: notStated,
    frequencyNotes: [],
    methods: [r7.text(1585, '可以采取自查、抽查的方式进行，或者以上方式结合进行')],
    deadlines: none(),
    penalties: list([
      penalty(r7.cite(1597, '逾期仍不改正的，处以1万元以上3万元以下罚款'), {
        key: 'unfiled-issuer',
        kind: 'fine',
        violation: '发卡企业未按照规定办理备案',
        label: '责令限期备案；逾期仍不改正的，处1万元以上3万元以下罚款',
        precondition: '责令限期备案后逾期仍不改正',
        minYuan: 10_000,
        maxYuan: 30_000,
      }),
      penalty(r7.cite(1599, '逾期仍不改正的，处以1万元以上3万元以下罚款'), {
        key: 'issuance-violation',
        kind: 'fine',
        violation: '发卡企业违反发行和服务相关规定',
        label: '责令限期整改；逾期仍不改正的，处1万元以上3万元以下罚款',
        precondition: '责令限期整改后逾期仍不改正',
        minYuan: 10_000,
        maxYuan: 30_000,
      }),
      penalty(r7.cite(1601, '逾期仍不改正的，处以1万元以上3万元以下罚款'), {
        key: 'fund-management-violation',
        kind: 'fine',
        violation: '已备案发卡企业违反资金管理相关规定',
        label: '责令限期改正；逾期仍不改正的，处1万元以上3万元以下罚款',
        precondition: '责令限期改正后逾期仍不改正',
        minYuan: 10_000,
        maxYuan: 30_000,
      }),
      penalty(
        r7.cite(
          1603,
          '其隶属的售卡企业12个月内3次违反相关规定受到行政处罚的，备案机关可以对已备案发卡企业处以3万元以下罚款',
        ),
        {
          key: 'lax-management-of-sellers',
          kind: 'fine',
          violation: '已备案发卡企业疏于管理，其隶属的售卡企业12个月内3次违反相关规定受到行政处罚',
          label: '可对已备案发卡企业处3万元以下罚款',
          maxYuan: 30_000,
          figures: { months: 12, penalties: 3 },
        },
      ),
      penalty(r7.cite(1605, '由备案机关处以1万元以上3万元以下罚款'), {
        key: 'technical-failure',
        kind: 'fine',
        violation: '已备案发卡企业发生重大或不可恢复的技术故障，造成重大损失',
        label: '处1万元以上3万元以下罚款',
        minYuan: 10_000,
        maxYuan: 30_000,
      }),
    ]),
    documentContents: none(),
  },
  {
    seq: 8,
    title: '零售商供应商公平交易监管',
    lines: { from: 1606, to: 1632 },
    subjects: { categories: ['retailer', 'supplier'], citations: [r8.cite(1610, '全省零售商和供应商')] },
    minSamplingRatio: notStated,
    roundsPerYear: r8.stated({ min: 1, max: 2 }, 1618, '原则上每年一到两次', true),
    minInspectors: notStated,
    onComplaint: notStated,
    frequencyNotes: [],
    methods: [r8.text(1618, '可以采取自查、抽查、督查的方式进行')],
    deadlines: none(),
    penalties: list([
      penalty(r8.cite(1630, '有违法所得的，可处违法所得三倍以下罚款，但最高不超过三万元'), {
        key: 'fine-with-gain',
        kind: 'fine',
        violation: '违反《零售商供应商公平交易管理办法》，有违法所得（法律法规另有规定的从其规定）',
        label: '责令改正，可处违法所得三倍以下罚款，最高不超过3万元',
        maxMultipleOfGain: 3,
        maxYuan: 30_000,
      }),
      penalty(r8.cite(1630, '没有违法所得的，可处一万元以下罚款'), {
        key: 'fine-without-gain',
        kind: 'fine',
        violation: '违反《零售商供应商公平交易管理办法》，没有违法所得（法律法规另有规定的从其规定）',
        label: '责令改正，可处1万元以下罚款',
        maxYuan: 10_000,
      }),
      penalty(r8.cite(1630, '并可向社会公告'), {
        key: 'publication',
        kind: 'publication',
        violation: '违反《零售商供应商公平交易管理办法》',
        label: '可向社会公告',
      }),
      penalty(r8.cite(1632, '将其涉嫌犯罪的线索及时移送当地公安机关'), {
        key: 'police-referral',
        kind: 'referral',
        violation: '零售商涉嫌骗取供应商货款',
        label: '涉嫌犯罪的线索及时移送当地公安机关',
      }),
    ]),
    documentContents: none(),
  },
  {
    seq: 9,
    title: '对外贸易经营者监管',
    lines: { from: 1633, to: 1681 },
    subjects: {
      categories: ['foreign-trade', 'foreign-invested'],
      citations: [
        r9.cite(1639, '申领进出口许可证件的对外贸易经营者、外商投资企业'),
        r9.cite(1643, '从事货物进出口的对外贸易经营者等'),
      ],
    },
    minSamplingRatio: notStated,
    roundsPerYear: notStated,
    minInspectors: notStated,
    onComplaint: notStated,
    frequencyNotes: [r9.text(1661, '市商务局不定期对发证机关工作开展情况进行抽查')],
    methods: [
      r9.text(1657, '通过管理系统查询企业上报、审核、清关数据'),
      r9.text(1659, '对企业提供的书面资料进行监督检查，与网上数据进行核对'),
      r9.text(1661, '市商务局不定期对发证机关工作开展情况进行抽查'),
    ],
    deadlines: none(),
    penalties: list([
      penalty(
        r9.cite(
          1679,
          '在一年以上三年以下的期限内从事有关货物进出口经营活动的，撤销其《对外贸易经营者备案登记表》',
        ),
        {
          key: 'trade-ban',
          kind: 'ban',
          violation: '商务部决定禁止有关对外贸易经营者从事有关货物进出口经营活动',
          label: '禁止期限一年以上三年以下，撤销《对外贸易经营者备案登记表》；期满后可重新备案登记',
          minYears: 1,
          maxYears: 3,
        },
      ),
      penalty(r9.cite(1681, '《对外贸易经营者备案登记表》自动失效'), {
        key: 'registration-void',
        kind: 'voidance',
        violation: '已办理工商注销手续或被吊销营业执照',
        label: '自营业执照注销或被吊销之日起，《对外贸易经营者备案登记表》自动失效',
      }),
    ]),
    documentContents: none(),
  },
  {
    seq: 10,
    title: '外商投资企业设立及变更事项监管',
    lines: { from: 1682, to: 1790 },
    subjects: {
      categories: ['foreign-invested', 'county-bureau'],
      citations: [r10.cite(1686, '市属外商投资企业'), r10.cite(1688, '各县、市（区）商务部门')],
    },
    minSamplingRatio: r10.stated(0.1, 1748, '原则上每年一到两次，抽查不少于10%的企业', true),
    roundsPerYear: r10.stated({ min: 1, max: 2 }, 1748, '原则上每年一到两次', true),
    minInspectors: r10.stated(
      2,
      1746,
      '应当委派两名以上工作人员进行',
      false,
      '对各县、市（区）商务部门进行调查和检查时',
    ),
    onComplaint: notStated,
    frequencyNotes: [],
    methods: [
      r10.text(1722, '在联合年报网上核查企业有关数据并与上年比对'),
      r10.text(1730, '对行政许可实施情况进行专项调查、定期检查和综合检查'),
    ],
    deadlines: none(),
    penalties: none(),
    documentContents: none(),
  },
  {
    seq: 11,
    title: '全市省级经济开发区（园区）年度建设发展监管',
    lines: { from: 1791, to: 1825 },
    subjects: { categories: ['development-zone'], citations: [r11.cite(1795, '省级经济技术开发区（园区）')] },
    minSamplingRatio: notStated,
    roundsPerYear: notStated,
    minInspectors: notStated,
    onComplaint: notStated,
    frequencyNotes: [r11.text(1821, '对全市省级经济开发区每年考核进行初审评价一次')],
    methods: [r11.text(1811, '日常督查、调研督查、专项督查、考核督查等')],
    deadlines: none(),
    penalties: list([
      penalty(r11.cite(1825, '对连续两年在全省经济技术开发区（园区）综合发展水平评价排名后三名的开发区'), {
        key: 'delisting',
        kind: 'delisting',
        violation: '连续两年在全省经济技术开发区（园区）综合发展水平评价排名后三名',
        label: '按规定向省商务厅提出建议予以摘牌',
        figures: { consecutiveYears: 2, bottomRanks: 3 },
      }),
    ]),
    documentContents: none(),
  },
  {
    seq: 12,
    title: '企业境外投资监督',
    lines: { from: 1826, to: 1880 },
    subjects: {
      categories: ['overseas-investment'],
      citations: [r12.cite(1832, '由境内投资主体以新设、并购（含参股）方式设立的境外企业')],
    },
    minSamplingRatio: r12.stated(0.1, 1860, '原则上每年一到两次，抽查不少于10%的企业', true),
    roundsPerYear: r12.stated({ min: 1, max: 2 }, 1860, '原则上每年一到两次', true),
    minInspectors: notStated,
    onComplaint: r12.stated(true, 1862, '根据群众投诉举报开展检查', false),
    frequencyNotes: [],
    methods: [
      r12.text(1860, '专项检查：以各县市区商务主管部门为主，针对上级交办事项开展专项监督检查'),
      r12.text(1864, '日常监督检查：以各县市区商务主管部门为主，发证后开展监督抽查等'),
    ],
    deadlines: none(),
    penalties: list([
      penalty(r12.cite(1878, '省级商务主管部门撤销该企业境外投资备案，给予警告'), {
        key: 'revoke-filing',
        kind: 'revocation',
        violation: '以提供虚假材料等不正当手段办理备案并取得《证书》',
        label: '撤销境外投资备案，给予警告，并依法公布处罚决定',
      }),
      penalty(r12.cite(1880, '违反规定的企业三年内不得享受国家和省、市有关境外投资政策支持'), {
        key: 'policy-support-loss',
        kind: 'policy-support-loss',
        violation: '违反境外投资有关规定',
        label: '三年内不得享受国家和省、市有关境外投资政策支持',
        maxYears: 3,
      }),
    ]),
    documentContents: none(),
  },
  {
    seq: 13,
    title: '对外承包工程企业监督',
    lines: { from: 1884, to: 1940 },
    subjects: {
      categories: ['overseas-contracting'],
      citations: [
        r13.cite(1890, '依法取得对外承包工程资格，领取《中华人民共和国对外承包工程资格证书》的企业'),
      ],
    },
    minSamplingRatio: r13.stated(0.1, 1920, '原则上每年一到两次，抽查不少于10%的企业', true),
    roundsPerYear: r13.stated({ min: 1, max: 2 }, 1920, '原则上每年一到两次', true),
    minInspectors: notStated,
    onComplaint: r13.stated(true, 1922, '市、县级据群众投诉举报开展检查', false),
    frequencyNotes: [
      r13.text(1918, '年度监督检查：由省商务厅制定计划并组织实施，全省对外承包工程企业全部参加'),
    ],
    methods: [
      r13.text(1920, '专项检查：以各县市区商务主管部门为主'),
      r13.text(1924, '日常监督检查：以各县市区商务主管部门为主，对具备资质企业开展监督抽查等'),
    ],
    deadlines: none(),
    penalties: list([
      penalty(r13.cite(1938, '商务主管部门给予警告并通知整改'), {
        key: 'warning',
        kind: 'warning',
        violation: '具备对外承包工程资格的单位隐瞒有关情况或者提供虚假材料',
        label: '给予警告并通知整改',
      }),
      penalty(r13.cite(1938, '由原审批的商务主管部门撤销《资格证书》，并给予警告、处罚'), {
        key: 'revoke-certificate',
        kind: 'revocation',
        violation: '以欺骗、贿赂等不正当手段取得《资格证书》',
        label: '撤销《资格证书》，并给予警告、处罚；构成犯罪的，依法追究刑事责任',
      }),
      penalty(r13.cite(1940, '违反规定的企业三年内不得享受国家和省、市有关政策支持'), {
        key: 'policy-support-loss',
        kind: 'policy-support-loss',
        violation: '违反对外承包工程有关规定',
        label: '三年内不得享受国家和省、市有关政策支持',
        maxYears: 3,
      }),
    ]),
    documentContents: none(),
  },
  {
    seq: 14,
    title: '对外劳务合作监督',
    lines: { from: 1941, to: 1981 },
    subjects: {
      categories: ['labour-cooperation'],
      citations: [r14.cite(1947, '各县市区辖区内具有对外劳务合作经营资格企业')],
    },
    minSamplingRatio: notStated,
    roundsPerYear: r14.stated(
      { min: 1, max: 1 },
      1965,
      '原则上每年一次',
      true,
      '针对国家和省级商务部门交办事项的专项检查',
    ),
    minInspectors: notStated,
    onComplaint: r14.stated(
      true,
      1967,
      '对投诉举报涉及县市区对外劳务合作事件处理落实工作按交办事项时限检查',
      false,
    ),
    frequencyNotes: [],
    methods: [
      r14.text(1965, '专项检查：针对国家和省级商务部门交办事项等进行专项检查'),
      r14.text(1969, '日常监督检查：以各县市区商务主管部门为主，对外派企业开展的劳务人员培训情况进行检查'),
    ],
    deadlines: none(),
    penalties: none(),
    documentContents: none(),
  },
  {
    seq: 15,
    title: '报废汽车回收拆解企业监管',
    lines: { from: 1982, to: 2016 },
    subjects: {
      categories: ['vehicle-recycling'],
      citations: [r15.cite(1986, '取得《报废机动车回收（拆解）企业资格证书》的企业')],
    },
    minSamplingRatio: notStated,
    roundsPerYear: notStated,
    minInspectors: notStated,
    onComplaint: notStated,
    frequencyNotes: [r15.text(2012, '对企业开展不定期检查')],
    methods: [r15.text(2010, '日常监督、检查'), r15.text(2012, '对企业开展不定期检查')],
    deadlines: none(),
    penalties: list([
      penalty(r15.cite(2016, '由市商务局报省商务厅撤销《报废机动车回收（拆解）企业资格证书》'), {
        key: 'revoke-certificate',
        kind: 'revocation',
        violation: '经检查不合格，限期整改后仍不合格',
        label: '由市商务局报省商务厅撤销《报废机动车回收（拆解）企业资格证书》',
        precondition: '责令限期整改后仍不合格',
      }),
    ]),
    documentContents: none(),
  },
];

// ───────────────────────────── queries ─────────────────────────────

export function ruleOf(seq: number): RegimeRule | undefined {
  return REGIME_RULES.find((r) => r.seq === seq);
}

/** The regime's minimum sampling ratio in basis points (1000 = 10 %), or null when not stated. */
export function minRatioBasisPoints(rule: RegimeRule): number | null {
  return rule.minSamplingRatio.value === null ? null : Math.round(rule.minSamplingRatio.value * 10_000);
}

/** Rules whose population includes a category. */
export function rulesForCategory(code: CategoryCode): RegimeRule[] {
  return REGIME_RULES.filter((r) => r.subjects.categories.includes(code));
}

/**
 * The due date of a deadline counted from `from` (YYYY-MM-DD): working days through the statutory
 * calendar (throws CalendarCoverageError for an uncovered year), calendar days otherwise.
 * A 'date' deadline returns that day in the year of `from`.
 */
export function dueDate(deadline: DeadlineRule, from: string): string {
  if (deadline.unit === 'working-days') return addWorkingDays(from, deadline.amount!);
  if (deadline.unit === 'date') return `${from.slice(0, 4)}-${deadline.date}`;
  const d = new Date(`${from}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + deadline.amount!);
  return d.toISOString().slice(0, 10);
}

/** "每年1–2次" and friends, for lists and notices. */
export function roundsText(rule: RegimeRule): string {
  const r = rule.roundsPerYear;
  if (r.value === null) return NOT_STATED_ZH;
  const base = r.value.min === r.value.max ? `每年${r.value.min}次` : `每年${r.value.min}–${r.value.max}次`;
  return r.asARule ? `${base}（原则上）` : base;
}

/** "不少于10%" and friends. */
export function ratioText(rule: RegimeRule): string {
  const r = rule.minSamplingRatio;
  if (r.value === null) return NOT_STATED_ZH;
  const pct = `不少于${Math.round(r.value * 1000) / 10}%`;
  return r.asARule ? `${pct}（原则上）` : pct;
}

/** "至少2名" or the not-stated wording with the system default. */
export function inspectorsText(rule: RegimeRule): string {
  const m = rule.minInspectors;
  return m.value === null ? NOT_STATED_ZH : `至少${m.value}名`;
}
