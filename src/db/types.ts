import type { Generated } from 'kysely';

/** Provenance columns shared by every imported record: which document, which lines. */
interface Provenance {
  source_document_id: number | null;
  line_start: number | null;
  line_end: number | null;
}

export interface SourceDocumentTable {
  id: Generated<number>;
  name: string;
  sha256: string;
  encoding: string;
  line_ending: string;
  line_count: number;
  /** The decoded text (line endings normalised), so provenance can be shown line by line. */
  content: string;
  imported_at: string;
}

export interface DepartmentTable {
  id: Generated<number>;
  name: string;
  position: number;
  created_at: string;
}

export interface DepartmentAliasTable {
  id: Generated<number>;
  department_id: number;
  alias: string;
}

export interface OfficeTable extends Provenance {
  id: Generated<number>;
  department_id: number;
  name: string;
  /** 1 for a group such as 各业务科室 that stands for several offices. */
  is_group: number;
  position: number;
}

export interface OfficeAliasTable {
  id: Generated<number>;
  office_id: number;
  department_id: number;
  alias: string;
}

export interface OfficeGroupMemberTable {
  group_id: number;
  office_id: number;
}

export interface DutyTable extends Provenance {
  id: Generated<number>;
  department_id: number;
  seq: number;
  text: string;
}

export interface WorkItemTable extends Provenance {
  id: Generated<number>;
  duty_id: number;
  position: number;
  text: string;
  /** The 责任科室 cell exactly as written. */
  office_text: string;
  remark: string | null;
}

export interface WorkItemOfficeTable {
  work_item_id: number;
  office_id: number;
  position: number;
}

export interface BoundaryMatterTable extends Provenance {
  id: Generated<number>;
  department_id: number;
  seq: number;
  name: string;
}

export interface BoundaryShareTable extends Provenance {
  id: Generated<number>;
  matter_id: number;
  position: number;
  department_id: number;
  /** The 相关部门 cell exactly as written (before alias merging). */
  department_text: string;
  text: string;
}

export interface LegalBasisTable extends Provenance {
  id: Generated<number>;
  matter_id: number;
  position: number;
  text: string;
  doc_number: string | null;
}

export interface BoundaryCaseTable extends Provenance {
  id: Generated<number>;
  matter_id: number;
  position: number;
  text: string;
}

export interface RegimeTable extends Provenance {
  id: Generated<number>;
  department_id: number;
  seq: number;
  /** The number as printed (四, 十二 …) or null when the document prints none. */
  label: string | null;
  title: string;
  intro: string | null;
}

export interface RegimeSectionTable extends Provenance {
  id: Generated<number>;
  regime_id: number;
  position: number;
  heading: string;
  /** Comma-separated section kinds: objects,contents,methods,measures,procedure,handling. */
  kinds: string;
  body: string;
}

export interface RegimeCheckItemTable extends Provenance {
  id: Generated<number>;
  regime_id: number;
  position: number;
  text: string;
}

export interface PublicServiceTable extends Provenance {
  id: Generated<number>;
  department_id: number;
  seq: number;
  name: string;
  content: string;
  office_text: string;
  phone_text: string;
}

export interface ServiceOfficeTable {
  service_id: number;
  office_id: number;
  position: number;
}

export interface ServicePhoneTable {
  service_id: number;
  position: number;
  phone: string;
}

export interface ImportRepairTable {
  id: Generated<number>;
  source_document_id: number;
  part: number;
  line: number;
  kind: string;
  message: string;
}

export interface ImportRunTable {
  id: Generated<number>;
  source_document_id: number | null;
  started_at: string;
  finished_at: string;
  summary: string;
}

export interface DB {
  source_documents: SourceDocumentTable;
  departments: DepartmentTable;
  department_aliases: DepartmentAliasTable;
  offices: OfficeTable;
  office_aliases: OfficeAliasTable;
  office_group_members: OfficeGroupMemberTable;
  duties: DutyTable;
  work_items: WorkItemTable;
  work_item_offices: WorkItemOfficeTable;
  boundary_matters: BoundaryMatterTable;
  boundary_shares: BoundaryShareTable;
  legal_bases: LegalBasisTable;
  boundary_cases: BoundaryCaseTable;
  regimes: RegimeTable;
  regime_sections: RegimeSectionTable;
  regime_check_items: RegimeCheckItemTable;
  public_services: PublicServiceTable;
  service_offices: ServiceOfficeTable;
  service_phones: ServicePhoneTable;
  import_repairs: ImportRepairTable;
  import_runs: ImportRunTable;
}
