/**
 * The 15 supervision regimes of part 3 (事中事后监管制度) as data: every figure with the line of
 * data-bundled/source.txt that states it and the exact words quoted (`at: [line, quote]`). What a
 * regime leaves out is simply absent here; `regime()` (rules.ts) turns an absent figure into
 * `value: null` with the note NOT_STATED and an absent list into an empty one with that note.
 *
 * `asARule: true` where the quoted words say 原则上 (a default a plan may deviate from with a
 * recorded reason). `test/supervision-rules.test.ts` checks every quote against its line.
 */

import type { RegimeInput } from './rules.ts';

const NOTICE = '执法监督通知（决定）书';

export const REGIME_DATA: readonly RegimeInput[] = [
  {
    seq: 1,
    title: '对属地管理的行政执法职权的监督检查',
    lines: { from: 1193, to: 1261 },
    subjects: {
      categories: ['county-bureau'],
      cited: [[1197, '依法行使属地管理事项职权即从事行政执法活动的商务主管部门及其工作人员']],
    },
    roundsPerYear: {
      value: { min: 1, max: 2 },
      at: [1213, '原则上每年一到两次'],
      asARule: true,
      note: '省商务厅组织开展执法监督检查的频次',
    },
    methods: [[1212, '可以采取自查、互查、抽查的方式进行，或者以上几种方式结合进行']],
    deadlines: [
      {
        key: 'review-request',
        label: '被检查单位对《执法监督通知（决定）书》不服，申请复查',
        unit: 'working-days',
        amount: 10,
        from: '收到《执法监督通知（决定）书》之日',
        at: [1231, '可以在收到《执法监督通知（决定）书》之日起10个工作日内'],
      },
      {
        key: 'review-decision',
        label: '发出机构作出复查决定',
        unit: 'working-days',
        amount: 15,
        from: '接到复查申请之日',
        at: [1231, '应当自接到复查申请之日起15个工作日内做出复查决定'],
      },
    ],
    documentContents: {
      document: NOTICE,
      items: [
        [1226, '被检查的商务主管部门的名称'],
        [1227, '认定的事实和理由'],
        [1228, '处理的决定和依据'],
        [1229, '执行处理决定的方式和期限'],
        [1230, '执行检查的机构名称和做出《执法监督通知（决定）书》的日期，并加盖印章'],
      ],
    },
  },
  {
    seq: 2,
    title: '对行政审批事项受委托机关的监督',
    lines: { from: 1262, to: 1372 },
    subjects: { categories: ['county-bureau'], cited: [[1268, '受市商务局委托行使行政许可职权的行政机关']] },
    roundsPerYear: { value: { min: 1, max: 2 }, at: [1316, '原则上一年一到两次'], asARule: true },
    minInspectors: { value: 2, at: [1318, '应当委派两名以上工作人员进行'], asARule: false },
    onComplaint: { value: true, at: [1316, '收到举报投诉的随时进行检查'], asARule: false },
    methods: [
      [1302, '听取行政许可实施机关的汇报'],
      [1304, '对行政许可案卷进行评查'],
      [1308, '对行政许可实施情况进行专项调查、定期检查和综合检查'],
    ],
  },
  {
    seq: 3,
    title: '对取消权力事项的监管',
    lines: { from: 1373, to: 1445 },
    subjects: {
      categories: ['foreign-invested', 'auction'],
      cited: [[1379, '外商投资企业、拍卖企业等']],
      note: '原文以“等”结尾：所列两类之外的监管对象未列明',
    },
    minSamplingRatio: { value: 0.1, at: [1415, '每年抽选不少于10%的企业进行现场检查'], asARule: false },
    roundsPerYear: { value: { min: 1, max: 2 }, at: [1411, '每年原则上检查一到两次'], asARule: true },
    onComplaint: { value: true, at: [1411, '如有举报投诉，随时进行检查'], asARule: false },
    frequencyNotes: [[1401, '每季度定期进行实地监督检查']],
    methods: [
      [1397, '对经营情况进行专项调查、定期检查和综合检查'],
      [1403, '随机抽取企业，查阅许可或备案文件和资料，结合实地检查情况进行评查'],
    ],
  },
  {
    seq: 4,
    title: '成品油流通市场监督管理',
    lines: { from: 1446, to: 1508 },
    subjects: {
      categories: ['refined-oil-retail', 'refined-oil-wholesale'],
      cited: [[1450, '取得成品油零售经营资格的企业，取得成品油批发、仓储经营资格的企业']],
    },
    minSamplingRatio: { value: 0.1, at: [1486, '每年原则上抽查不少于10%的企业'], asARule: true },
    frequencyNotes: [
      [1482, '要求取得成品油经营资格的企业每年定期上报年检材料'],
      [1486, '对企业开展不定期检查'],
    ],
    methods: [
      [1482, '年检'],
      [1484, '日常监督、检查'],
      [1486, '对企业开展不定期检查'],
    ],
    deadlines: [
      {
        key: 'annual-review-notice',
        label: '市商务局下发《年检通知》',
        unit: 'date',
        date: '01-30',
        at: [1492, '每年1月30日前'],
      },
      {
        key: 'annual-review-completion',
        label: '市商务局完成成品油零售经营资格企业的年检工作',
        unit: 'days',
        amount: 20,
        from: '收到年检材料之日',
        at: [1496, '市商务局自收到年检材料之日起20日内完成年检工作'],
        note: '原文写作“20日”，未写明是否为工作日',
      },
    ],
    penalties: [
      {
        at: [1500, '经整改仍不合格的，由市商务局报省商务厅撤销其零售经营资格'],
        key: 'revoke-retail-qualification',
        kind: 'revocation',
        violation: '年检不合格，限期整改后仍不合格',
        label: '由市商务局报省商务厅撤销零售经营资格',
        precondition: '书面告知并限期整改后仍不合格',
      },
    ],
  },
  {
    seq: 5,
    title: '内贸特种行业监管',
    lines: { from: 1509, to: 1553 },
    subjects: {
      categories: ['auction', 'pawn'],
      cited: [
        [1515, '取得拍卖经营许可的拍卖行及分支机构'],
        [1517, '取得典当经营许可的典当行及分支机构'],
      ],
    },
    methods: [
      [1533, '信息系统监管'],
      [1535, '市、县（市、区）商务部门日常检查'],
    ],
  },
  {
    seq: 6,
    title: '对市级生猪活体储备企业的监管',
    lines: { from: 1554, to: 1564 },
    subjects: { categories: ['pig-reserve'], cited: [[1556, '市级生猪储备企业']] },
    frequencyNotes: [[1564, '市商务局要经常对储备基地进行常规检查']],
    methods: [[1564, '经常对储备基地进行常规检查']],
    penalties: [
      {
        at: [1564, '除将截留的储备补贴资金全部收缴市级财政外，并取消储备资格'],
        key: 'cancel-reserve-status',
        kind: 'disqualification',
        violation: '违反储备补贴资金等规定',
        label: '截留的储备补贴资金全部收缴市级财政，并取消储备资格',
      },
    ],
  },
  {
    seq: 7,
    title: '单用途商业预付卡监管',
    lines: { from: 1565, to: 1605 },
    subjects: {
      categories: ['prepaid-card-issuer'],
      cited: [[1571, '全省发售单用途预付卡的品牌、集团以及规模以上企业']],
    },
    minSamplingRatio: {
      value: 0.1,
      at: [1585, '原则上每年一到两次，检查不少于备案企业的10%'],
      asARule: true,
    },
    roundsPerYear: { value: { min: 1, max: 2 }, at: [1585, '原则上每年一到两次'], asARule: true },
    methods: [[1585, '可以采取自查、抽查的方式进行，或者以上方式结合进行']],
    penalties: [
      {
        at: [1597, '逾期仍不改正的，处以1万元以上3万元以下罚款'],
        key: 'unfiled-issuer',
        kind: 'fine',
        violation: '发卡企业未按照规定办理备案',
        label: '责令限期备案；逾期仍不改正的，处1万元以上3万元以下罚款',
        precondition: '责令限期备案后逾期仍不改正',
        minYuan: 10_000,
        maxYuan: 30_000,
      },
      {
        at: [1599, '逾期仍不改正的，处以1万元以上3万元以下罚款'],
        key: 'issuance-violation',
        kind: 'fine',
        violation: '发卡企业违反发行和服务相关规定',
        label: '责令限期整改；逾期仍不改正的，处1万元以上3万元以下罚款',
        precondition: '责令限期整改后逾期仍不改正',
        minYuan: 10_000,
        maxYuan: 30_000,
      },
      {
        at: [1601, '逾期仍不改正的，处以1万元以上3万元以下罚款'],
        key: 'fund-management-violation',
        kind: 'fine',
        violation: '已备案发卡企业违反资金管理相关规定',
        label: '责令限期改正；逾期仍不改正的，处1万元以上3万元以下罚款',
        precondition: '责令限期改正后逾期仍不改正',
        minYuan: 10_000,
        maxYuan: 30_000,
      },
      {
        at: [
          1603,
          '其隶属的售卡企业12个月内3次违反相关规定受到行政处罚的，备案机关可以对已备案发卡企业处以3万元以下罚款',
        ],
        key: 'lax-management-of-sellers',
        kind: 'fine',
        violation: '已备案发卡企业疏于管理，其隶属的售卡企业12个月内3次违反相关规定受到行政处罚',
        label: '可对已备案发卡企业处3万元以下罚款',
        maxYuan: 30_000,
        figures: { months: 12, penalties: 3 },
      },
      {
        at: [1605, '由备案机关处以1万元以上3万元以下罚款'],
        key: 'technical-failure',
        kind: 'fine',
        violation: '已备案发卡企业发生重大或不可恢复的技术故障，造成重大损失',
        label: '处1万元以上3万元以下罚款',
        minYuan: 10_000,
        maxYuan: 30_000,
      },
    ],
  },
  {
    seq: 8,
    title: '零售商供应商公平交易监管',
    lines: { from: 1606, to: 1632 },
    subjects: { categories: ['retailer', 'supplier'], cited: [[1610, '全省零售商和供应商']] },
    roundsPerYear: { value: { min: 1, max: 2 }, at: [1618, '原则上每年一到两次'], asARule: true },
    methods: [[1618, '可以采取自查、抽查、督查的方式进行']],
    penalties: [
      {
        at: [1630, '有违法所得的，可处违法所得三倍以下罚款，但最高不超过三万元'],
        key: 'fine-with-gain',
        kind: 'fine',
        violation: '违反《零售商供应商公平交易管理办法》，有违法所得（法律法规另有规定的从其规定）',
        label: '责令改正，可处违法所得三倍以下罚款，最高不超过3万元',
        maxMultipleOfGain: 3,
        maxYuan: 30_000,
      },
      {
        at: [1630, '没有违法所得的，可处一万元以下罚款'],
        key: 'fine-without-gain',
        kind: 'fine',
        violation: '违反《零售商供应商公平交易管理办法》，没有违法所得（法律法规另有规定的从其规定）',
        label: '责令改正，可处1万元以下罚款',
        maxYuan: 10_000,
      },
      {
        at: [1630, '并可向社会公告'],
        key: 'publication',
        kind: 'publication',
        violation: '违反《零售商供应商公平交易管理办法》',
        label: '可向社会公告',
      },
      {
        at: [1632, '将其涉嫌犯罪的线索及时移送当地公安机关'],
        key: 'police-referral',
        kind: 'referral',
        violation: '零售商涉嫌骗取供应商货款',
        label: '涉嫌犯罪的线索及时移送当地公安机关',
      },
    ],
  },
  {
    seq: 9,
    title: '对外贸易经营者监管',
    lines: { from: 1633, to: 1681 },
    subjects: {
      categories: ['foreign-trade', 'foreign-invested'],
      cited: [
        [1639, '申领进出口许可证件的对外贸易经营者、外商投资企业'],
        [1643, '从事货物进出口的对外贸易经营者等'],
      ],
    },
    frequencyNotes: [[1661, '市商务局不定期对发证机关工作开展情况进行抽查']],
    methods: [
      [1657, '通过管理系统查询企业上报、审核、清关数据'],
      [1659, '对企业提供的书面资料进行监督检查，与网上数据进行核对'],
      [1661, '市商务局不定期对发证机关工作开展情况进行抽查'],
    ],
    penalties: [
      {
        at: [
          1679,
          '在一年以上三年以下的期限内从事有关货物进出口经营活动的，撤销其《对外贸易经营者备案登记表》',
        ],
        key: 'trade-ban',
        kind: 'ban',
        violation: '商务部决定禁止有关对外贸易经营者从事有关货物进出口经营活动',
        label: '禁止期限一年以上三年以下，撤销《对外贸易经营者备案登记表》；期满后可重新备案登记',
        minYears: 1,
        maxYears: 3,
      },
      {
        at: [1681, '《对外贸易经营者备案登记表》自动失效'],
        key: 'registration-void',
        kind: 'voidance',
        violation: '已办理工商注销手续或被吊销营业执照',
        label: '自营业执照注销或被吊销之日起，《对外贸易经营者备案登记表》自动失效',
      },
    ],
  },
  {
    seq: 10,
    title: '外商投资企业设立及变更事项监管',
    lines: { from: 1682, to: 1790 },
    subjects: {
      categories: ['foreign-invested', 'county-bureau'],
      cited: [
        [1686, '市属外商投资企业'],
        [1688, '各县、市（区）商务部门'],
      ],
    },
    minSamplingRatio: { value: 0.1, at: [1748, '原则上每年一到两次，抽查不少于10%的企业'], asARule: true },
    roundsPerYear: { value: { min: 1, max: 2 }, at: [1748, '原则上每年一到两次'], asARule: true },
    minInspectors: {
      value: 2,
      at: [1746, '应当委派两名以上工作人员进行'],
      asARule: false,
      note: '对各县、市（区）商务部门进行调查和检查时',
    },
    methods: [
      [1722, '在联合年报网上核查企业有关数据并与上年比对'],
      [1730, '对行政许可实施情况进行专项调查、定期检查和综合检查'],
    ],
  },
  {
    seq: 11,
    title: '全市省级经济开发区（园区）年度建设发展监管',
    lines: { from: 1791, to: 1825 },
    subjects: { categories: ['development-zone'], cited: [[1795, '省级经济技术开发区（园区）']] },
    frequencyNotes: [[1821, '对全市省级经济开发区每年考核进行初审评价一次']],
    methods: [[1811, '日常督查、调研督查、专项督查、考核督查等']],
    penalties: [
      {
        at: [1825, '对连续两年在全省经济技术开发区（园区）综合发展水平评价排名后三名的开发区'],
        key: 'delisting',
        kind: 'delisting',
        violation: '连续两年在全省经济技术开发区（园区）综合发展水平评价排名后三名',
        label: '按规定向省商务厅提出建议予以摘牌',
        figures: { consecutiveYears: 2, bottomRanks: 3 },
      },
    ],
  },
  {
    seq: 12,
    title: '企业境外投资监督',
    lines: { from: 1826, to: 1880 },
    subjects: {
      categories: ['overseas-investment'],
      cited: [[1832, '由境内投资主体以新设、并购（含参股）方式设立的境外企业']],
    },
    minSamplingRatio: { value: 0.1, at: [1860, '原则上每年一到两次，抽查不少于10%的企业'], asARule: true },
    roundsPerYear: { value: { min: 1, max: 2 }, at: [1860, '原则上每年一到两次'], asARule: true },
    onComplaint: { value: true, at: [1862, '根据群众投诉举报开展检查'], asARule: false },
    methods: [
      [1860, '专项检查：以各县市区商务主管部门为主，针对上级交办事项开展专项监督检查'],
      [1864, '日常监督检查：以各县市区商务主管部门为主，发证后开展监督抽查等'],
    ],
    penalties: [
      {
        at: [1878, '省级商务主管部门撤销该企业境外投资备案，给予警告'],
        key: 'revoke-filing',
        kind: 'revocation',
        violation: '以提供虚假材料等不正当手段办理备案并取得《证书》',
        label: '撤销境外投资备案，给予警告，并依法公布处罚决定',
      },
      {
        at: [1880, '违反规定的企业三年内不得享受国家和省、市有关境外投资政策支持'],
        key: 'policy-support-loss',
        kind: 'policy-support-loss',
        violation: '违反境外投资有关规定',
        label: '三年内不得享受国家和省、市有关境外投资政策支持',
        maxYears: 3,
      },
    ],
  },
  {
    seq: 13,
    title: '对外承包工程企业监督',
    lines: { from: 1884, to: 1940 },
    subjects: {
      categories: ['overseas-contracting'],
      cited: [[1890, '依法取得对外承包工程资格，领取《中华人民共和国对外承包工程资格证书》的企业']],
    },
    minSamplingRatio: { value: 0.1, at: [1920, '原则上每年一到两次，抽查不少于10%的企业'], asARule: true },
    roundsPerYear: { value: { min: 1, max: 2 }, at: [1920, '原则上每年一到两次'], asARule: true },
    onComplaint: { value: true, at: [1922, '市、县级据群众投诉举报开展检查'], asARule: false },
    frequencyNotes: [[1918, '年度监督检查：由省商务厅制定计划并组织实施，全省对外承包工程企业全部参加']],
    methods: [
      [1920, '专项检查：以各县市区商务主管部门为主'],
      [1924, '日常监督检查：以各县市区商务主管部门为主，对具备资质企业开展监督抽查等'],
    ],
    penalties: [
      {
        at: [1938, '商务主管部门给予警告并通知整改'],
        key: 'warning',
        kind: 'warning',
        violation: '具备对外承包工程资格的单位隐瞒有关情况或者提供虚假材料',
        label: '给予警告并通知整改',
      },
      {
        at: [1938, '由原审批的商务主管部门撤销《资格证书》，并给予警告、处罚'],
        key: 'revoke-certificate',
        kind: 'revocation',
        violation: '以欺骗、贿赂等不正当手段取得《资格证书》',
        label: '撤销《资格证书》，并给予警告、处罚；构成犯罪的，依法追究刑事责任',
      },
      {
        at: [1940, '违反规定的企业三年内不得享受国家和省、市有关政策支持'],
        key: 'policy-support-loss',
        kind: 'policy-support-loss',
        violation: '违反对外承包工程有关规定',
        label: '三年内不得享受国家和省、市有关政策支持',
        maxYears: 3,
      },
    ],
  },
  {
    seq: 14,
    title: '对外劳务合作监督',
    lines: { from: 1941, to: 1981 },
    subjects: {
      categories: ['labour-cooperation'],
      cited: [[1947, '各县市区辖区内具有对外劳务合作经营资格企业']],
    },
    roundsPerYear: {
      value: { min: 1, max: 1 },
      at: [1965, '原则上每年一次'],
      asARule: true,
      note: '针对国家和省级商务部门交办事项的专项检查',
    },
    onComplaint: {
      value: true,
      at: [1967, '对投诉举报涉及县市区对外劳务合作事件处理落实工作按交办事项时限检查'],
      asARule: false,
    },
    methods: [
      [1965, '专项检查：针对国家和省级商务部门交办事项等进行专项检查'],
      [1969, '日常监督检查：以各县市区商务主管部门为主，对外派企业开展的劳务人员培训情况进行检查'],
    ],
  },
  {
    seq: 15,
    title: '报废汽车回收拆解企业监管',
    lines: { from: 1982, to: 2016 },
    subjects: {
      categories: ['vehicle-recycling'],
      cited: [[1986, '取得《报废机动车回收（拆解）企业资格证书》的企业']],
    },
    frequencyNotes: [[2012, '对企业开展不定期检查']],
    methods: [
      [2010, '日常监督、检查'],
      [2012, '对企业开展不定期检查'],
    ],
    penalties: [
      {
        at: [2016, '由市商务局报省商务厅撤销《报废机动车回收（拆解）企业资格证书》'],
        key: 'revoke-certificate',
        kind: 'revocation',
        violation: '经检查不合格，限期整改后仍不合格',
        label: '由市商务局报省商务厅撤销《报废机动车回收（拆解）企业资格证书》',
        precondition: '责令限期整改后仍不合格',
      },
    ],
  },
];
