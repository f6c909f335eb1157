/** The registry module's public surface: other modules import only from here. */
export { registryApi } from './registry.api.ts';
export { formatQualityReport, qualityReport } from './registry.check.ts';
export type { Dataset, ExportPart } from './registry.export.ts';
export {
  EXPORT_PARTS,
  exportCsv,
  exportDataset,
  exportXlsx,
  isDataset,
  loadDataset,
} from './registry.export.ts';
export { homePages } from './registry.pages.tsx';
export {
  countRegistry,
  listDuties,
  listMatters,
  listOffices,
  listRegimes,
  listServices,
} from './registry.repo.ts';
export type { BoundaryMatterOut, DutyOut, OfficeOut, RegimeOut, ServiceOut } from './registry.schema.ts';
