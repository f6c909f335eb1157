/**
 * The kinds of official document the bureau issues, as DATA: each with its code, Chinese name,
 * 文号 prefix and the fields it must state. Where a law article or a line of the bundled source
 * document (data-bundled/source.txt) requires an element, the field carries that citation; the
 * test (test/documents.test.ts) checks every quoted line against the source file.
 *
 * Add or correct a type here; code reads only this table. The 文号 is `${prefix}〔${year}〕${seq}号`
 * (per type and year, from 1, see document.numbering.ts).
 */

/** Where a required element comes from. */
export type DocumentCitation =
  /** A line of data-bundled/source.txt and the exact words on it. */
  | { kind: 'source'; regime: number; line: number; quote: string }
  /** A law's article, as text (e.g. 《中华人民共和国行政处罚法》（2021年修订）第五十九条). */
  | { kind: 'law'; law: string; article: string; quote: string };

export type FieldKind = 'text' | 'textarea' | 'date';

export interface DocumentField {
  /** The key in `fields` (camelCase, English). */
  key: string;
  /** Chinese label, as printed and as named in a refusal. */
  label: string;
  kind: FieldKind;
  required: boolean;
  /** The rule that requires the element, when one does. */
  citation?: DocumentCitation;
  /** A hint for the person filling it in (Chinese). */
  hint?: string;
}

export interface DocumentType {
  code: string;
  /** Chinese name: the document's title. */
  name: string;
  /** 文号 prefix (机关代字 + 类别), e.g. 衡商整改 → 衡商整改〔2026〕3号. */
  prefix: string;
  /** The fields in print order. */
  fields: readonly DocumentField[];
  /** Why the type exists / which rule asks for it. */
  basis: DocumentCitation | null;
  /**
   * May staff issue it directly (POST /api/v1/staff/documents)? Types that a workflow issues
   * (rectification orders, penalties, complaint replies) are issued only by their workflow.
   */
  standalone: boolean;
  /** A closing paragraph printed after the fields (rights, remedies), when the rule requires one. */
  closing?: { text: string; citation: DocumentCitation };
}

/** The issuing body printed on every document (the bureau the bundled lists belong to). */
export const ISSUER = '衡水市商务局';

const PUNISHMENT_LAW = '《中华人民共和国行政处罚法》（2021年修订）';
const law = (article: string, quote: string): DocumentCitation => ({
  kind: 'law',
  law: PUNISHMENT_LAW,
  article,
  quote,
});
const source = (regime: number, line: number, quote: string): DocumentCitation => ({
  kind: 'source',
  regime,
  line,
  quote,
});

const party: DocumentField = {
  key: 'party',
  label: '当事人',
  kind: 'text',
  required: true,
  hint: '单位名称或姓名',
};
const partyUscc: DocumentField = {
  key: 'partyUscc',
  label: '统一社会信用代码',
  kind: 'text',
  required: false,
};

export const DOCUMENT_TYPES: readonly DocumentType[] = [
  {
    code: 'onsite-record',
    name: '现场检查笔录',
    prefix: '衡商检笔',
    basis: source(3, 1431, '制作现场检查书面记录'),
    standalone: false,
    fields: [
      { ...party, label: '被检查单位' },
      partyUscc,
      { key: 'place', label: '检查地点', kind: 'text', required: true },
      { key: 'checkedAt', label: '检查时间', kind: 'text', required: true },
      { key: 'inspectors', label: '执法人员及证件号', kind: 'text', required: true },
      { key: 'representative', label: '现场负责人', kind: 'text', required: true },
      { key: 'findings', label: '检查情况', kind: 'textarea', required: true },
      { key: 'partyOpinion', label: '被检查单位意见', kind: 'textarea', required: false },
    ],
  },
  {
    code: 'rectification-notice',
    name: '责令限期整改通知书',
    prefix: '衡商整改',
    basis: law('第二十八条', '行政机关实施行政处罚时，应当责令当事人改正或者限期改正违法行为'),
    standalone: false,
    fields: [
      party,
      partyUscc,
      { key: 'facts', label: '存在的问题', kind: 'textarea', required: true },
      { key: 'basis', label: '依据', kind: 'textarea', required: true },
      { key: 'requirement', label: '整改要求', kind: 'textarea', required: true },
      { key: 'deadline', label: '整改期限', kind: 'date', required: true, hint: 'YYYY-MM-DD' },
      { key: 'contact', label: '联系人及电话', kind: 'text', required: false },
    ],
  },
  {
    code: 'penalty-prior-notice',
    name: '行政处罚事先告知书',
    prefix: '衡商罚告',
    basis: law(
      '第四十四条',
      '行政机关在作出行政处罚决定之前，应当告知当事人拟作出的行政处罚内容及事实、理由、依据，并告知当事人依法享有的陈述、申辩、要求听证等权利',
    ),
    standalone: false,
    fields: [
      party,
      partyUscc,
      {
        key: 'facts',
        label: '违法事实和理由',
        kind: 'textarea',
        required: true,
        citation: law('第四十四条', '拟作出的行政处罚内容及事实、理由、依据'),
      },
      {
        key: 'basis',
        label: '处罚依据',
        kind: 'textarea',
        required: true,
        citation: law('第四十四条', '拟作出的行政处罚内容及事实、理由、依据'),
      },
      {
        key: 'proposedPenalty',
        label: '拟作出的行政处罚',
        kind: 'textarea',
        required: true,
        citation: law('第四十四条', '拟作出的行政处罚内容及事实、理由、依据'),
      },
      {
        key: 'rights',
        label: '当事人依法享有的权利',
        kind: 'textarea',
        required: true,
        citation: law('第四十四条', '告知当事人依法享有的陈述、申辩、要求听证等权利'),
        hint: '陈述、申辩，以及符合条件时要求听证的权利和期限',
      },
      { key: 'contact', label: '联系人及电话', kind: 'text', required: false },
    ],
  },
  {
    code: 'hearing-notice',
    name: '听证告知书',
    prefix: '衡商听告',
    basis: law('第六十三条', '行政机关拟作出下列行政处罚决定，应当告知当事人有要求听证的权利'),
    standalone: false,
    fields: [
      party,
      partyUscc,
      { key: 'proposedPenalty', label: '拟作出的行政处罚', kind: 'textarea', required: true },
      { key: 'basis', label: '处罚依据', kind: 'textarea', required: true },
      {
        key: 'requestDeadline',
        label: '要求听证的期限',
        kind: 'text',
        required: true,
        citation: law('第六十四条', '当事人要求听证的，应当在行政机关告知后五日内提出'),
      },
      { key: 'contact', label: '联系人及电话', kind: 'text', required: false },
    ],
    closing: {
      text: '当事人要求听证的，应当在本机关告知后五日内提出；本机关将在举行听证的七日前，通知当事人听证的时间、地点。',
      citation: law('第六十四条', '行政机关应当在举行听证的七日前，通知当事人及有关人员听证的时间、地点'),
    },
  },
  {
    code: 'penalty-decision',
    name: '行政处罚决定书',
    prefix: '衡商罚决',
    basis: law('第五十九条', '行政机关依照本法第五十七条的规定给予行政处罚，应当制作行政处罚决定书'),
    standalone: false,
    fields: [
      {
        ...party,
        citation: law('第五十九条', '当事人的姓名或者名称、地址'),
      },
      partyUscc,
      {
        key: 'partyAddress',
        label: '当事人地址',
        kind: 'text',
        required: true,
        citation: law('第五十九条', '当事人的姓名或者名称、地址'),
      },
      {
        key: 'facts',
        label: '违法事实和证据',
        kind: 'textarea',
        required: true,
        citation: law('第五十九条', '违反法律、法规、规章的事实和证据'),
      },
      {
        key: 'penalty',
        label: '行政处罚的种类',
        kind: 'textarea',
        required: true,
        citation: law('第五十九条', '行政处罚的种类和依据'),
      },
      {
        key: 'basis',
        label: '行政处罚的依据',
        kind: 'textarea',
        required: true,
        citation: law('第五十九条', '行政处罚的种类和依据'),
      },
      {
        key: 'performance',
        label: '履行方式和期限',
        kind: 'textarea',
        required: true,
        citation: law('第五十九条', '行政处罚的履行方式和期限'),
      },
      {
        key: 'remedy',
        label: '申请行政复议、提起行政诉讼的途径和期限',
        kind: 'textarea',
        required: true,
        citation: law('第五十九条', '申请行政复议、提起行政诉讼的途径和期限'),
      },
    ],
    closing: {
      text: '作出行政处罚决定的行政机关名称和作出决定的日期见文末，并加盖印章。',
      citation: law('第五十九条', '作出行政处罚决定的行政机关名称和作出决定的日期'),
    },
  },
  {
    code: 'spot-check-result',
    name: '抽查结果告知书',
    prefix: '衡商抽告',
    basis: source(3, 1435, '将监督检查结果、处理意见建议通知被检查者'),
    standalone: false,
    fields: [
      { ...party, label: '被检查单位' },
      partyUscc,
      { key: 'matter', label: '抽查事项', kind: 'text', required: true },
      { key: 'checkedOn', label: '检查日期', kind: 'date', required: true, hint: 'YYYY-MM-DD' },
      { key: 'result', label: '抽查结果', kind: 'textarea', required: true },
      { key: 'handling', label: '处理意见', kind: 'textarea', required: false },
    ],
  },
  {
    code: 'oversight-notice',
    name: '执法监督通知（决定）书',
    prefix: '衡商监督',
    basis: source(1, 1225, '应当制作《执法监督通知（决定）书》'),
    standalone: true,
    fields: [
      {
        key: 'inspectedBody',
        label: '被检查的商务主管部门的名称',
        kind: 'text',
        required: true,
        citation: source(1, 1226, '被检查的商务主管部门的名称'),
      },
      {
        key: 'factsAndReasons',
        label: '认定的事实和理由',
        kind: 'textarea',
        required: true,
        citation: source(1, 1227, '认定的事实和理由'),
      },
      {
        key: 'decisionAndBasis',
        label: '处理的决定和依据',
        kind: 'textarea',
        required: true,
        citation: source(1, 1228, '处理的决定和依据'),
      },
      {
        key: 'executionMethodAndDeadline',
        label: '执行处理决定的方式和期限',
        kind: 'textarea',
        required: true,
        citation: source(1, 1229, '执行处理决定的方式和期限'),
      },
      {
        key: 'inspectingBody',
        label: '执行检查的机构名称',
        kind: 'text',
        required: true,
        citation: source(1, 1230, '执行检查的机构名称和做出《执法监督通知（决定）书》的日期，并加盖印章'),
        hint: '作出日期取签发日期，文末加盖印章',
      },
    ],
    closing: {
      text: '接到本通知（决定）书的单位，应在限定期限内按要求做出纠正，并书面报告执行结果。对本通知（决定）书决定不服的，可以在收到本通知（决定）书之日起10个工作日内向发出机构申请复查；发出机构自接到复查申请之日起15个工作日内做出复查决定。',
      citation: source(1, 1231, '可以在收到《执法监督通知（决定）书》之日起10个工作日内'),
    },
  },
  // Yearly campaigns (supervision/campaigns): issued by the campaign workflow.
  {
    code: 'annual-inspection-notice',
    name: '年检通知',
    prefix: '衡商年检通',
    basis: source(4, 1492, '每年1月30日前,由市商务局根据省商务厅统一安排下发《年检通知》'),
    standalone: false,
    fields: [
      { key: 'recipients', label: '通知对象', kind: 'textarea', required: true },
      { key: 'content', label: '通知内容', kind: 'textarea', required: true },
      { key: 'filingDeadline', label: '申报截止日期', kind: 'date', required: false },
      { key: 'basisNote', label: '依据提示', kind: 'textarea', required: false },
    ],
  },
  {
    code: 'campaign-notice',
    name: '年度工作通知',
    prefix: '衡商年通',
    basis: null,
    standalone: false,
    fields: [
      { key: 'title', label: '事项', kind: 'text', required: true },
      { key: 'recipients', label: '通知对象', kind: 'textarea', required: true },
      { key: 'content', label: '通知内容', kind: 'textarea', required: true },
      { key: 'filingDeadline', label: '申报截止日期', kind: 'date', required: false },
      { key: 'basisNote', label: '依据提示', kind: 'textarea', required: false },
    ],
  },
  {
    code: 'annual-inspection-failure',
    name: '年检不合格告知书',
    prefix: '衡商年检告',
    basis: source(4, 1500, '对不符合条件的企业书面告知企业并限期整改'),
    standalone: false,
    fields: [
      party,
      partyUscc,
      { key: 'licenceNo', label: '许可证号', kind: 'text', required: false },
      { key: 'year', label: '年检年度', kind: 'text', required: true },
      { key: 'reasons', label: '不符合条件的情况', kind: 'textarea', required: true },
      { key: 'requirement', label: '处理', kind: 'textarea', required: true },
    ],
  },
  {
    code: 'annual-inspection-mark',
    name: '年检意见（许可证副本）',
    prefix: '衡商年检',
    basis: source(4, 1500, '在许可证副本上出具“年检合格”意见'),
    standalone: false,
    fields: [
      party,
      partyUscc,
      { key: 'licenceNo', label: '许可证号', kind: 'text', required: false },
      { key: 'year', label: '年检年度', kind: 'text', required: true },
      { key: 'opinion', label: '年检意见', kind: 'text', required: true },
    ],
  },
  // Escalations after an unheeded order (rectifications, and the 年检 campaigns): one field shape,
  // so every step issues its document the same way.
  {
    code: 'revocation-report',
    name: '提请撤销经营资格的报告',
    prefix: '衡商报',
    basis: source(4, 1500, '经整改仍不合格的，由市商务局报省商务厅撤销其零售经营资格'),
    standalone: false,
    fields: [
      { key: 'recipient', label: '报送机关', kind: 'text', required: false, hint: '如：河北省商务厅' },
      party,
      partyUscc,
      { key: 'licenceNo', label: '许可证号', kind: 'text', required: false },
      { key: 'facts', label: '违法事实及整改情况', kind: 'textarea', required: true },
      { key: 'basis', label: '依据', kind: 'textarea', required: true },
      { key: 'measure', label: '提请事项', kind: 'textarea', required: true },
      { key: 'note', label: '备注', kind: 'textarea', required: false },
    ],
  },
  {
    code: 'public-announcement',
    name: '公告',
    prefix: '衡商告',
    basis: source(8, 1630, '并可向社会公告'),
    standalone: false,
    fields: [
      party,
      partyUscc,
      { key: 'facts', label: '违法事实', kind: 'textarea', required: true },
      { key: 'basis', label: '依据', kind: 'textarea', required: true },
      { key: 'measure', label: '公告事项', kind: 'textarea', required: true },
      { key: 'note', label: '备注', kind: 'textarea', required: false },
    ],
  },
  {
    code: 'police-referral',
    name: '涉嫌犯罪案件移送书',
    prefix: '衡商移',
    basis: source(8, 1632, '将其涉嫌犯罪的线索及时移送当地公安机关'),
    standalone: false,
    fields: [
      party,
      partyUscc,
      { key: 'facts', label: '涉嫌犯罪的事实', kind: 'textarea', required: true },
      { key: 'basis', label: '移送依据', kind: 'textarea', required: true },
      { key: 'measure', label: '移送事项', kind: 'textarea', required: true },
      { key: 'note', label: '备注', kind: 'textarea', required: false },
    ],
  },
  {
    code: 'written-reply',
    name: '书面答复',
    prefix: '衡商复',
    basis: null,
    standalone: false,
    fields: [
      { key: 'recipient', label: '答复对象', kind: 'text', required: true },
      { key: 'matter', label: '所涉事项', kind: 'textarea', required: true },
      { key: 'reply', label: '答复内容', kind: 'textarea', required: true },
      { key: 'contact', label: '联系人及电话', kind: 'text', required: false },
    ],
  },
];

export type DocumentTypeCode = (typeof DOCUMENT_TYPES)[number]['code'];

/** The type of a code, or undefined. */
export function documentType(code: string): DocumentType | undefined {
  return DOCUMENT_TYPES.find((t) => t.code === code);
}

/** 文号 of the `seq`-th document of a type in a year: 衡商整改〔2026〕3号. */
export function formatNumber(type: DocumentType, year: number, seq: number): string {
  return `${type.prefix}〔${year}〕${seq}号`;
}

/** "source.txt 第1226行（事中事后监管制度 第1项）" / "《…法》第五十九条": how a citation is printed. */
export function citationText(c: DocumentCitation): string {
  return c.kind === 'source'
    ? `《衡水市商务局事中事后监管制度》第${c.regime}项制度（原文第${c.line}行）：“${c.quote}”`
    : `${c.law}${c.article}：“${c.quote}”`;
}
