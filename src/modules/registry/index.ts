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
export type { ImportOptions, ImportReport } from './import/import.service.ts';
export {
  changesForReview,
  importDocument,
  registryFingerprint,
  upsertSourceDocument,
} from './import/import.service.ts';
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
export {
  databaseForVersion,
  diffVersions,
  latestVersionNumber,
  listVersions,
  publishVersion,
} from './versions/version.service.ts';
export { versionsApi } from './versions/versions.api.ts';
export { versionPages } from './versions/versions.pages.tsx';
