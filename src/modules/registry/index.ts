/** The registry module's public surface: other modules import only from here. */

export type {
  ApplyContext,
  ChangeAdapter,
  ChangeField,
  CurrentRecord,
  FieldKind,
} from './changeable/change-adapter.ts';
export { changeAdapter } from './changeable/change-adapter.ts';
export { type ChangeChoices, departmentOfOffices, loadChangeChoices } from './changeable/choices.ts';
export { IMPORT_ENTITY, type ImportPayload } from './changeable/import.change.ts';
export { REGISTRY_CHANGES } from './changeable/index.ts';
export { formatQualityReport, qualityReport } from './check/registry.check.ts';
export type { Dataset, ExportPart } from './export/dataset.export.ts';
export {
  EXPORT_PARTS,
  exportCsv,
  exportDataset,
  exportXlsx,
  isDataset,
  loadDataset,
} from './export/dataset.export.ts';
export { hsdsApi, hsdsOrganizations, hsdsServices } from './export/hsds.export.ts';
export { formatHealthReport, healthCsv } from './health/health.export.ts';
export { HEALTH_PROPOSERS, healthBackoffice, healthPages } from './health/health.pages.tsx';
export type { Finding, FindingKind, FindingRecord, HealthReport } from './health/health.service.ts';
export { FINDING_KINDS, healthReport, linkFindingToChangeSet } from './health/health.service.ts';
export type { ImportOptions, ImportReport } from './import/import.service.ts';
export {
  changesForReview,
  importDocument,
  registryFingerprint,
  upsertSourceDocument,
} from './import/import.service.ts';
export { LEGAL_ADMINS, legalPages } from './legal/legal.pages.tsx';
export type { LegalFlagOut, LegalInstrumentOut } from './legal/legal.schema.ts';
export { importRegisterFile, seedLegalRegister } from './legal/legal.service.ts';
export { homePages } from './pages/home.pages.tsx';
export {
  countRegistry,
  listDuties,
  listMatters,
  listOffices,
  listRegimes,
  listServices,
} from './read/registry.repo.ts';
export { registryApi } from './registry.api.ts';
export type {
  BoundaryMatterOut,
  DutyOut,
  ImportCounts,
  OfficeOut,
  RegimeOut,
  ServiceOut,
} from './registry.schema.ts';
export type { SourceDocumentOut } from './sources/source-document.ts';
export { findSourceDocument, listSourceDocuments, setOfficialUrl } from './sources/source-document.ts';
export type { RevisionInput, RevisionOut } from './versions/revision.repo.ts';
export { latestRevisions } from './versions/revision.repo.ts';
export type { ScheduledVersion } from './versions/schedule.repo.ts';
export {
  closeScheduledVersion,
  listScheduledVersions,
  scheduleVersion,
} from './versions/schedule.repo.ts';
export {
  databaseForVersion,
  diffVersions,
  latestVersionNumber,
  listVersions,
  publishVersion,
  versionOnDate,
} from './versions/version.service.ts';
export { versionsApi } from './versions/versions.api.ts';
export { versionPages } from './versions/versions.pages.tsx';
