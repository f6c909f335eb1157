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
  /** The official publication of the document (a URL an admin enters; null until then). */
  official_url: Generated<string | null>;
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

export interface DB
  extends StaffTables,
    SupervisionTables,
    ApiTokenTables,
    ComplaintTables,
    InspectionTables,
    EnforcementTables,
    DocumentTables,
    CalendarTables,
    TargetedCheckContactTables,
    LegalRegisterTables,
    CampaignTables {
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

export interface UserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  /** admin | editor | reviewer | inspector | auditor */
  role: string;
  password_hash: string;
  active: number;
  created_at: string;
  password_changed_at: string;
  /** 1 after an admin reset the password, until the user chooses a new one (0 otherwise). */
  must_change_password: Generated<number>;
}

export interface UserOfficeTable {
  user_id: number;
  office_id: number;
}

export interface SessionTable {
  /** SHA-256 of the cookie token: a stolen table gives no usable cookies. */
  token_hash: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
}

export interface LoginAttemptTable {
  id: Generated<number>;
  username: string;
  ip: string;
  at: string;
  success: number;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  seq: number;
  at: string;
  actor_id: number | null;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  before: string | null;
  after: string | null;
  prev_hash: string;
  hash: string;
}

export interface ChangeSetTable {
  id: Generated<number>;
  title: string;
  /** 调整依据: why (e.g. the notice that moved the duty). */
  reason: string;
  /** draft | submitted | returned | approved | published | withdrawn */
  status: string;
  department_id: number;
  author_id: number;
  reviewer_id: number | null;
  review_comment: string | null;
  effective_date: string | null;
  version_id: number | null;
  created_at: string;
  updated_at: string;
  /** JSON of the review chain the set was submitted into; null: the default chain. */
  review_chain: Generated<string | null>;
  /** The step of the chain the set waits for (0-based). */
  review_step: Generated<number>;
  /** How many times the set was submitted (each return starts a new round). */
  review_round: Generated<number>;
}

export interface ChangeSetReviewTable {
  id: Generated<number>;
  change_set_id: number;
  round: number;
  step: number;
  step_name: string;
  /** pass | return | publish | schedule */
  action: string;
  user_id: number;
  user_name: string;
  comment: string | null;
  at: string;
}

export interface VersionScheduleTable {
  id: Generated<number>;
  change_set_id: number;
  effective_date: string;
  reason: string;
  scheduled_by: string;
  scheduled_at: string;
  /** pending | applied | cancelled */
  state: string;
  version_number: number | null;
}

export interface RecordRevisionTable {
  id: Generated<number>;
  entity: string;
  record_id: number;
  /** create | update */
  op: string;
  /** JSON array of the payload keys whose value changed. */
  fields: string;
  version_number: number;
  effective_date: string;
  change_set_id: number | null;
  change_set_title: string;
  basis: string;
  proposed_by: string;
  /** JSON array of { step, name }. */
  reviewed_by: string;
  published_by: string;
  before_source_document_id: number | null;
  before_line_start: number | null;
  before_line_end: number | null;
  at: string;
}

export interface ChangeItemTable {
  id: Generated<number>;
  change_set_id: number;
  position: number;
  /** duty | workItem | office | share | service */
  entity: string;
  /** create | update | retire */
  op: string;
  target_id: number | null;
  /** JSON of the proposed field values. */
  payload: string;
  /** JSON of the record when the change was proposed (null for create). */
  before: string | null;
}

export interface VersionTable {
  id: Generated<number>;
  number: number;
  published_at: string;
  effective_date: string;
  reason: string;
  change_set_id: number | null;
  published_by: string;
  /** JSON dataset of the registry at this version. */
  snapshot: string;
  /** JSON: counts of added/removed/changed records against the previous version. */
  summary: string;
}

export interface StaffTables {
  users: UserTable;
  user_offices: UserOfficeTable;
  sessions: SessionTable;
  login_attempts: LoginAttemptTable;
  audit_head: AuditHeadTable;
  audit_log: AuditLogTable;
  change_sets: ChangeSetTable;
  change_items: ChangeItemTable;
  versions: VersionTable;
  change_set_reviews: ChangeSetReviewTable;
  version_schedule: VersionScheduleTable;
  record_revisions: RecordRevisionTable;
}

export interface EntityCategoryTable {
  code: string;
  name: string;
  position: number;
}

export interface CountyTable {
  id: Generated<number>;
  name: string;
  /** GB/T 2260 code (statistical division code for the two zones). */
  division_code: string;
  kind: string;
  position: number;
}

export interface RegulatedEntityTable {
  id: Generated<number>;
  name: string;
  /** 统一社会信用代码 in normalised form (validateUscc). */
  uscc: string;
  county_id: number;
  licence_no: string | null;
  /** YYYY-MM-DD */
  licence_valid_from: string | null;
  licence_valid_until: string | null;
  /** active | suspended | revoked | closed */
  status: string;
  /** National credit-risk class A | B | C | D (migration 009), null when not classified. */
  risk_class: string | null;
  created_at: string;
  updated_at: string;
  /** 经营场所地址 (migration 010), null when not registered. */
  address: Generated<string | null>;
}

export interface RegulatedEntityCategoryTable {
  entity_id: number;
  category_code: string;
}

export interface InspectorTable {
  id: Generated<number>;
  name: string;
  certificate_no: string;
  office_id: number | null;
  county_id: number | null;
  /** The staff account (role inspector) that sees this inspector's tasks. */
  user_id: number | null;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface InspectorConflictTable {
  id: Generated<number>;
  inspector_id: number;
  entity_id: number;
  reason: string;
  created_at: string;
}

export interface InspectionPlanTable {
  id: Generated<number>;
  regime_seq: number;
  year: number;
  round: number;
  title: string;
  /** Sampling ratio in basis points (1000 = 10 %). */
  ratio_bp: number;
  min_inspectors: number;
  /** JSON array of county ids, null for all. */
  county_filter: string | null;
  /** JSON array of risk classes, null for all. */
  risk_filter: string | null;
  /** draft | committed | drawn | cancelled */
  status: string;
  below_min_reason: string | null;
  approved_by: number | null;
  approved_at: string | null;
  created_by: number;
  created_at: string;
  updated_at: string;
  committed_by: number | null;
  committed_at: string | null;
  population_size: number | null;
  sample_size: number | null;
  /** JSON StratumAllocation[] */
  allocation: string | null;
  population_hash: string | null;
  inspectors_hash: string | null;
  server_seed_hash: string | null;
  commit_hash: string | null;
  /** regimeId of the draw parameters, fixed at commit. */
  draw_regime_id: string | null;
  /** Secret until the draw. */
  server_seed: string | null;
  witness: string | null;
  draw_seed: string | null;
  drawn_by: number | null;
  drawn_at: string | null;
  /**
   * The published draw file, byte for byte (serializeDrawFile), for plans drawn before migration
   * 006; later draws store it in plan_draw_file_parts and leave this null.
   */
  draw_file: string | null;
  draw_file_sha256: string | null;
  /** 1 or 2 (docs/draws.md); 1 for every plan before migration 009. */
  algorithm_version: Generated<number>;
  /** Inspection period, YYYY-MM-DD (version 2). */
  period_start: string | null;
  period_end: string | null;
  /** JSON {"A": bp, …}: ratios of the risk classes A–D that differ from ratio_bp (version 2). */
  class_ratios: string | null;
  /** Checks per entity per year at which an entity is left out (version 2). */
  yearly_cap: number | null;
  /** own-county | any (version 2). */
  inspector_scope: string | null;
  /** Witness source id, its reference (期号 / round) and the planned draw time (UTC ISO) (version 2). */
  witness_source: string | null;
  witness_reference: string | null;
  planned_draw_at: string | null;
  /** The commit text whose SHA-256 is commit_hash (version 2; published byte for byte). */
  commit_text: string | null;
  exclusions_hash: string | null;
  /** The witness after the published normalisation (version 2). */
  witness_canonical: string | null;
}

/** An entity left out at commit because it reached the yearly cap (version 2). */
export interface PlanExclusionTable {
  plan_id: number;
  uscc: string;
  entity_id: number;
  name: string;
  county: string;
  checks: number;
}

export interface PlanPopulationTable {
  plan_id: number;
  uscc: string;
  entity_id: number;
  name: string;
  county: string;
  /** A | B | C | D | U at commit (version 2); null for version 1. */
  risk_class: string | null;
}

export interface PlanInspectorTable {
  plan_id: number;
  certificate_no: string;
  inspector_id: number;
  county: string;
  conflicts: string;
}

export interface PlanTaskTable {
  id: Generated<number>;
  plan_id: number;
  position: number;
  entity_id: number;
  uscc: string;
  name: string;
  county: string;
  rank: string;
}

/** One part of a plan's draw file; the file is the parts joined in `seq` order (from 1). */
export interface PlanDrawFilePartTable {
  plan_id: number;
  seq: number;
  content: string;
}

export interface PlanTaskInspectorTable {
  task_id: number;
  inspector_id: number;
  certificate_no: string;
  position: number;
}

export interface SupervisionTables {
  entity_categories: EntityCategoryTable;
  counties: CountyTable;
  regulated_entities: RegulatedEntityTable;
  regulated_entity_categories: RegulatedEntityCategoryTable;
  inspectors: InspectorTable;
  inspector_conflicts: InspectorConflictTable;
  inspection_plans: InspectionPlanTable;
  plan_population: PlanPopulationTable;
  plan_inspectors: PlanInspectorTable;
  plan_tasks: PlanTaskTable;
  plan_task_inspectors: PlanTaskInspectorTable;
  plan_draw_file_parts: PlanDrawFilePartTable;
  plan_exclusions: PlanExclusionTable;
}

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  /** What the token is for (e.g. "12345 平台对接"). */
  name: string;
  /** SHA-256 (hex) of the token; the token itself is shown once and never stored. */
  token_hash: string;
  created_at: string;
  /** Who made it (the audit trail's actor name). */
  created_by: string;
  expires_at: string;
  revoked_at: string | null;
  revoked_by: string | null;
  last_used_at: string | null;
}

export interface ApiTokenTables {
  api_tokens: ApiTokenTable;
}

/** A complaint (举报/投诉/申诉/咨询). Personal fields are null (description '') once erased. */
export interface ComplaintTable {
  id: Generated<number>;
  /** The query code the person follows the ticket with (also the Open311 service_request_id). */
  code: string;
  /** SHA-256 of the secret given with the code; null once personal data are erased. */
  secret_hash: string | null;
  /** report | complaint | appeal | enquiry */
  kind: string;
  /** web | phone | api | open311 */
  channel: string;
  status: string;
  description: string;
  business_name: string | null;
  business_uscc: string | null;
  place: string | null;
  occurred_on: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  contact_email: string | null;
  anonymous: Generated<number>;
  /** The consent text's version the person accepted (or the operator recorded). */
  consent: string | null;
  service_code: string | null;
  /** The pushing system's own ticket number (12345 工单号). */
  external_ref: string | null;
  received_at: string;
  /** China date of receipt: the clocks count working days from it. */
  received_on: string;
  department_id: number | null;
  office_id: number | null;
  /** China date the office received it: the 2-working-day return window counts from it. */
  assigned_on: string | null;
  accept_due: string | null;
  reply_due: string | null;
  extended_days: Generated<number>;
  extensions: Generated<number>;
  closed_on: string | null;
  outcome_reason: string | null;
  satisfaction: string | null;
  satisfaction_comment: string | null;
  reopen_count: Generated<number>;
  created_by: number | null;
  created_at: string;
  updated_at: string;
  erased_at: string | null;
}

/** One routing step: the resolver's proposal, a confirmation, a correction, a 转办. */
export interface ComplaintRoutingTable {
  id: Generated<number>;
  complaint_id: number;
  /** proposed | confirmed | corrected | transferred | settled */
  action: string;
  department_id: number | null;
  office_id: number | null;
  /** 1 when the matter belongs to another department (转办). */
  transfer: Generated<number>;
  /** 1 when the matter is in no list. */
  no_match: Generated<number>;
  /** The sentence of the lists that decides (as quoted when routed). */
  reason: string | null;
  source_type: string | null;
  source_id: number | null;
  source_url: string | null;
  matter_id: number | null;
  share_id: number | null;
  share_text: string | null;
  note: string | null;
  by_id: number | null;
  by_name: string;
  at: string;
}

export interface ComplaintEventTable {
  id: Generated<number>;
  complaint_id: number;
  action: string;
  from_status: string | null;
  to_status: string | null;
  note: string | null;
  by_id: number | null;
  by_name: string;
  at: string;
  on_date: string;
}

export interface ComplaintDisputeTable {
  id: Generated<number>;
  complaint_id: number;
  office_id: number;
  returned_by: number | null;
  returned_at: string;
  reason: string;
  /** What of the lists the returning office cites: workItem | share. */
  cited_type: string;
  cited_id: number;
  cited_text: string;
  /** The dispatcher's citation when the office returned it. */
  dispatch_citation: string | null;
  decided_by: number | null;
  decided_at: string | null;
  /** kept | reassigned | transferred */
  decision: string | null;
  decision_reason: string | null;
  /** gap | overlap: what the decision revealed about the lists (migration 018), null for nothing. */
  list_issue: string | null;
  list_issue_note: string | null;
  /** The draft change set on the boundary list the issue opened. */
  change_set_id: number | null;
}

export interface ComplaintReplyTable {
  id: Generated<number>;
  complaint_id: number;
  /** resolved | unresolved | rejected | transferred */
  outcome: string;
  /** 文号 of the written reply. */
  doc_number: string | null;
  body: string;
  by_id: number | null;
  by_name: string;
  at: string;
}

export interface ComplaintAttachmentTable {
  id: Generated<number>;
  /** Null while the upload waits for its form to be accepted. */
  complaint_id: number | null;
  /** SHA-256 of the upload token of a waiting upload. */
  pending_hash: string | null;
  filename: string;
  /** Sniffed from the bytes, never taken from the upload. */
  content_type: string;
  size: number;
  sha256: string;
  data: Buffer;
  created_at: string;
}

export interface ComplaintTables {
  complaints: ComplaintTable;
  complaint_routings: ComplaintRoutingTable;
  complaint_events: ComplaintEventTable;
  complaint_disputes: ComplaintDisputeTable;
  complaint_replies: ComplaintReplyTable;
  complaint_attachments: ComplaintAttachmentTable;
}

/** A conflict declared after the draw and the replacement chosen by the published rule (public). */
export interface TaskAdjustmentTable {
  id: Generated<number>;
  plan_id: number;
  task_id: number;
  /** 1, 2, … per plan, in the order made. */
  seq: number;
  uscc: string;
  withdrawn_inspector_id: number;
  withdrawn_certificate: string;
  replacement_inspector_id: number;
  replacement_certificate: string;
  reason: string;
  /** The replacement rule's identifier (inspections/replacement.ts). */
  rule: string;
  declared_by: number;
  declared_at: string;
}

/** One task's on-site record (现场检查笔录) and its result. */
export interface InspectionTable {
  id: Generated<number>;
  task_id: number;
  plan_id: number;
  /** draft | pending | returned | published | withdrawn */
  status: string;
  version: number;
  /** ISO-8601 UTC. */
  checked_at: string | null;
  /** The China date of checked_at (YYYY-MM-DD): the publication deadline counts from it. */
  checked_on: string | null;
  place: string | null;
  representative: string | null;
  representative_role: string | null;
  refused: Generated<number>;
  refusal_note: string | null;
  notes: string | null;
  /** A code of inspections/result.categories.ts. */
  result_code: string | null;
  /** Public: the 抽查结果公告 prints it. */
  result_summary: string | null;
  created_by: number;
  created_at: string;
  updated_by: number;
  updated_at: string;
  submitted_at: string | null;
  reviewed_by: number | null;
  reviewed_at: string | null;
  review_comment: string | null;
  published_by: number | null;
  published_at: string | null;
  withdrawn_by: number | null;
  withdrawn_at: string | null;
  withdrawal_reason: string | null;
}

export interface InspectionItemTable {
  inspection_id: number;
  position: number;
  text: string;
  source_line: number | null;
  heading: number;
  /** compliant | non-compliant | not-applicable */
  answer: string | null;
  note: string | null;
}

export interface InspectionConfirmationTable {
  inspection_id: number;
  inspector_id: number;
  user_id: number;
  version: number;
  confirmed_at: string;
}

export interface InspectionAttachmentTable {
  id: Generated<number>;
  inspection_id: number;
  filename: string;
  content_type: string;
  size: number;
  /** SHA-256 of the stored bytes (metadata stripped). */
  sha256: string;
  /** SHA-256 of the bytes as uploaded. */
  original_sha256: string;
  removed: string;
  data: Buffer;
  uploaded_by: number;
  uploaded_at: string;
}

export interface InspectionTables {
  task_adjustments: TaskAdjustmentTable;
  inspections: InspectionTable;
  inspection_items: InspectionItemTable;
  inspection_confirmations: InspectionConfirmationTable;
  inspection_attachments: InspectionAttachmentTable;
}

/** The last 文号 sequence given per document type and year (documents module). */
export interface DocumentCounterTable {
  doc_type: string;
  year: number;
  last_seq: number;
}

/** An issued official document: frozen (database triggers refuse changes but the supersede link). */
export interface DocumentTable {
  id: Generated<number>;
  doc_type: string;
  year: number;
  seq: number;
  /** 文号, e.g. 衡商整改〔2026〕3号. */
  number: string;
  title: string;
  subject_kind: string;
  subject_id: string;
  /** JSON object of the fields as issued. */
  fields: string;
  issued_by: number | null;
  issued_by_name: string;
  issued_at: string;
  filename: string;
  size: number;
  /** SHA-256 (hex) of `data`. */
  sha256: string;
  /** The DOCX bytes. */
  data: Buffer;
  supersedes_id: number | null;
  correction_reason: string | null;
  superseded_by_id: number | null;
  superseded_at: string | null;
}

export interface DocumentTables {
  document_counters: DocumentCounterTable;
  documents: DocumentTable;
}

/** A State Council holiday notice loaded by `zhize calendar import` (working-day calendar). */
export interface CalendarNoticeTable {
  id: Generated<number>;
  year: number;
  /** e.g. 国办发明电〔2025〕N号. */
  document_number: string;
  /** e.g. 国务院办公厅关于2026年部分节假日安排的通知. */
  title: string;
  published_on: string | null;
  /** 1 for a test fixture (not an official notice). */
  test_fixture: number;
  /** SHA-256 of the imported file's canonical JSON. */
  sha256: string;
  imported_by: string;
  imported_at: string;
}

/** One day a notice moves: an announced holiday or a make-up workday (调休). */
export interface CalendarDayTable {
  notice_id: number;
  date: string;
  /** holiday | workday */
  kind: string;
  /** The festival, e.g. 春节. */
  name: string;
}

export interface CalendarTables {
  calendar_notices: CalendarNoticeTable;
  calendar_days: CalendarDayTable;
}

// ───────────────────────────── enforcement (migration 013) ─────────────────────────────

export interface DeliveryConsentTable {
  id: Generated<number>;
  entity_id: number;
  /** email | sms | platform */
  channel: string;
  address: string;
  /** YYYY-MM-DD */
  signed_on: string;
  proof: string;
  recorded_by: number;
  recorded_at: string;
  withdrawn_on: string | null;
}

export interface RectificationOrderTable {
  id: Generated<number>;
  inspection_id: number;
  entity_id: number;
  regime_seq: number;
  office_id: number | null;
  /** issued | delivered | rectified | overdue */
  status: string;
  findings: string;
  requirement: string;
  /** working-days | days */
  term_unit: string;
  term_amount: number;
  issued_on: string;
  handler_id: number;
  reinspector_id: number | null;
  delivery_method: string | null;
  delivered_on: string | null;
  delivery_proof: string | null;
  delivery_consent_id: number | null;
  /** YYYY-MM-DD, computed at delivery from the term. */
  deadline: string | null;
  reinspected_on: string | null;
  reinspection_note: string | null;
  outcome_by: number | null;
  created_by: number;
  created_at: string;
  updated_at: string;
}

export interface EnforcementStepTable {
  id: Generated<number>;
  order_id: number;
  /** penalty-case | province-revocation | public-announcement | police-handover */
  kind: string;
  rule_key: string;
  note: string;
  penalty_case_id: number | null;
  created_by: number;
  created_at: string;
}

export interface PenaltyCaseTable {
  id: Generated<number>;
  order_id: number | null;
  entity_id: number;
  regime_seq: number;
  rule_key: string;
  office_id: number | null;
  status: string;
  facts: string;
  violation_on: string;
  /** ordinary | life-health-finance */
  harm: string;
  illegal_gain_fen: number | null;
  filed_on: string;
  handler_id: number;
  waived: Generated<number>;
  waiver_reason: string | null;
  amount_fen: number | null;
  bound_fen: number | null;
  notice_on: string | null;
  hearing_offered: Generated<number>;
  statement: string | null;
  statement_on: string | null;
  hearing_requested_on: string | null;
  hearing_notified_on: string | null;
  hearing_on: string | null;
  hearing_record: string | null;
  submitted_at: string | null;
  review_by: number | null;
  review_at: string | null;
  review_opinion: string | null;
  decision_on: string | null;
  decided_by: number | null;
  decision_late_reason: string | null;
  delivery_method: string | null;
  delivered_on: string | null;
  delivery_proof: string | null;
  published_on: string | null;
  paid_on: string | null;
  paid_fen: number | null;
  late_fee_fen: number | null;
  created_at: string;
  updated_at: string;
}

export interface PrepaidCardSellerTable {
  seller_entity_id: number;
  issuer_entity_id: number;
  recorded_by: number;
  recorded_at: string;
}

export interface EnforcementTables {
  delivery_consents: DeliveryConsentTable;
  rectification_orders: RectificationOrderTable;
  enforcement_steps: EnforcementStepTable;
  penalty_cases: PenaltyCaseTable;
  prepaid_card_sellers: PrepaidCardSellerTable;
}

/** An inspection task opened outside the random draw (migration 018): a plan of status `targeted`, one task. */
export interface TargetedCheckTable {
  id: Generated<number>;
  plan_id: number;
  task_id: number;
  entity_id: number;
  /** What asked for the check: complaint (source_ref: the ticket's query code). */
  source: string;
  source_ref: string;
  reason: string;
  /** Checks of the entity in the year when opened, this one included. */
  checks_in_year: number;
  opened_by: number;
  opened_at: string;
}

/** What staff maintain of the contact directory (migration 018). */
export interface ContactEntryTable {
  id: Generated<number>;
  /** bureau | office | department */
  kind: string;
  office_id: number | null;
  department_id: number | null;
  phone: string | null;
  address: string | null;
  hours: string | null;
  note: string | null;
  /** Where staff took it from. */
  source: string | null;
  updated_by: number;
  updated_at: string;
}

export interface TargetedCheckContactTables {
  targeted_checks: TargetedCheckTable;
  contact_entries: ContactEntryTable;
}

/** The register of legal instruments and the list-health findings (migration 016, registry). */
export interface LegalRegisterTables {
  legal_instruments: LegalInstrumentTable;
  legal_instrument_names: LegalInstrumentNameTable;
  health_findings: HealthFindingTable;
}

export interface LegalInstrumentTable {
  id: Generated<number>;
  title: string;
  /** law | regulation | rule | local_regulation | local_rule | normative | other */
  level: string;
  issuer: string | null;
  doc_number: string | null;
  /** in_force | amended | repealed | not_yet_effective | unknown */
  status: string;
  promulgated_on: string | null;
  effective_on: string | null;
  status_date: string | null;
  successor_id: number | null;
  /** replaced | amended */
  successor_relation: string | null;
  successor_text: string | null;
  affects_lists: Generated<number>;
  note: string | null;
  source: string;
  source_checked_on: string | null;
  confirmed: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface LegalInstrumentNameTable {
  id: Generated<number>;
  instrument_id: number;
  name: string;
  /** alias | subject */
  kind: string;
}

export interface HealthFindingTable {
  id: Generated<number>;
  key: string;
  kind: string;
  title: string;
  first_seen_at: string;
  last_seen_at: string;
  resolved_at: string | null;
  change_set_id: number | null;
}

// ───────────── campaigns and oversight of county bureaus (migration 020) ─────────────

export interface CampaignTable {
  id: Generated<number>;
  /** campaign.config.ts CampaignDefinition.key */
  definition_key: string;
  regime_seq: number;
  year: number;
  title: string;
  /** open | closed */
  status: string;
  /** China date of the notice (YYYY-MM-DD). */
  notice_date: string;
  notice_text: string;
  notice_document_id: number | null;
  filing_deadline: string | null;
  basis_note: string | null;
  basis_reason: string | null;
  opened_by: number;
  opened_at: string;
  closed_at: string | null;
}

export interface CampaignFilingTable {
  id: Generated<number>;
  campaign_id: number;
  entity_id: number;
  track_key: string;
  step_index: number;
  /** open | passed | failed | rectifying | reported (campaign.logic.ts) */
  status: string;
  step_since: string | null;
  step_due: string | null;
  outcome_on: string | null;
  outcome_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface CampaignFilingEventTable {
  id: Generated<number>;
  filing_id: number;
  step_key: string;
  action: string;
  /** enterprise | staff */
  actor_kind: string;
  user_id: number | null;
  reason: string | null;
  form_json: string | null;
  on_date: string;
  due: string | null;
  overdue: Generated<number>;
  document_id: number | null;
  at: string;
}

export interface CampaignFilingFileTable {
  id: Generated<number>;
  filing_id: number;
  event_id: number | null;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  original_sha256: string;
  removed: string;
  data: Buffer;
  uploaded_at: string;
}

export interface CampaignFilingAccessTable {
  id: Generated<number>;
  filing_id: number;
  /** link | code */
  kind: string;
  secret_hash: string;
  created_by: number;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
}

export interface LicenceMarkTable {
  id: Generated<number>;
  entity_id: number;
  campaign_id: number;
  year: number;
  mark: string;
  licence_no: string | null;
  marked_on: string;
  marked_by: number;
}

export interface ZoneScoreTable {
  id: Generated<number>;
  year: number;
  zone_name: string;
  score: number;
  in_city: number;
  source: string;
  imported_by: number;
  imported_at: string;
}

export interface OversightCheckTable {
  id: Generated<number>;
  body_entity_id: number;
  regime_seq: number;
  year: number;
  /** self | mutual | spot */
  method: string;
  checked_on: string;
  findings: string | null;
  /** open | no-finding | notice | corrected | review-requested | reviewed */
  status: string;
  created_by: number;
  created_at: string;
  updated_at: string;
}

export interface OversightCheckStaffTable {
  check_id: number;
  user_id: number;
}

export interface OversightNoticeTable {
  id: Generated<number>;
  check_id: number;
  body_name: string;
  facts: string;
  decision: string;
  execution: string;
  execution_deadline: string;
  issuer: string;
  issued_on: string;
  number: string;
  document_id: number;
  received_on: string | null;
  correction_report: string | null;
  corrected_on: string | null;
  review_requested_on: string | null;
  review_reason: string | null;
  review_due: string | null;
  review_decided_on: string | null;
  review_decision: string | null;
  created_by: number;
  created_at: string;
}

export interface CampaignTables {
  campaigns: CampaignTable;
  campaign_filings: CampaignFilingTable;
  campaign_filing_events: CampaignFilingEventTable;
  campaign_filing_files: CampaignFilingFileTable;
  campaign_filing_access: CampaignFilingAccessTable;
  licence_marks: LicenceMarkTable;
  zone_scores: ZoneScoreTable;
  oversight_checks: OversightCheckTable;
  oversight_check_staff: OversightCheckStaffTable;
  oversight_notices: OversightNoticeTable;
}
