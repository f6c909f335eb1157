/** What the parser reads out of a document, before anything touches the database. */

export interface LineRange {
  lineStart: number;
  lineEnd: number;
}

export type RepairKind =
  | 'spilled-cell'
  | 'split-row'
  | 'glued-row'
  | 'missing-seq'
  | 'repeated-merged-cell'
  | 'stray-cell'
  | 'repeated-heading'
  | 'regime-number'
  | 'heading-variant'
  | 'inline-heading'
  | 'invisible-char'
  | 'whitespace-cell'
  | 'name-whitespace';

/** A place where the document's layout was broken and the parser put it right. */
export interface Repair {
  part: 1 | 2 | 3 | 4;
  line: number;
  kind: RepairKind;
  message: string;
}

export interface ParsedWorkItem extends LineRange {
  text: string;
  officeText: string;
  offices: string[];
  remark: string | null;
}

export interface ParsedDuty extends LineRange {
  seq: number;
  text: string;
  items: ParsedWorkItem[];
}

export interface ParsedShare extends LineRange {
  departmentText: string;
  department: string;
  text: string;
}

export interface ParsedLegalBasis extends LineRange {
  text: string;
  docNumber: string | null;
}

export interface ParsedCase extends LineRange {
  text: string;
}

export interface ParsedMatter extends LineRange {
  seq: number;
  name: string;
  shares: ParsedShare[];
  legalBases: ParsedLegalBasis[];
  cases: ParsedCase[];
}

export const SECTION_KINDS = ['objects', 'contents', 'methods', 'measures', 'procedure', 'handling'] as const;
export type SectionKind = (typeof SECTION_KINDS)[number];

export interface ParsedParagraph {
  text: string;
  line: number;
}

export interface ParsedSection extends LineRange {
  heading: string;
  kinds: SectionKind[];
  paragraphs: ParsedParagraph[];
}

export interface ParsedRegime extends LineRange {
  seq: number;
  label: string | null;
  title: string;
  intro: string | null;
  sections: ParsedSection[];
  checkItems: ParsedParagraph[];
}

export interface ParsedService extends LineRange {
  seq: number;
  name: string;
  content: string;
  officeText: string;
  offices: string[];
  phoneText: string;
  phones: string[];
}

/** The four lists of one department as found in the document. */
export interface ParsedDepartmentLists {
  department: string;
  duties: ParsedDuty[];
  matters: ParsedMatter[];
  regimes: ParsedRegime[];
  services: ParsedService[];
}

export interface ParsedDocument {
  lineCount: number;
  lists: ParsedDepartmentLists[];
  repairs: Repair[];
}
