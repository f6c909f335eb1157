import type { ChangeAdapter } from './change-adapter.ts';
import { dutyChange } from './duty.change.ts';
import { importChange } from './import.change.ts';
import { officeChange } from './office.change.ts';
import { serviceChange } from './service.change.ts';
import { shareChange } from './share.change.ts';
import { workItemChange } from './work-item.change.ts';

/** The registry's changeable records, in the order the forms and the records page list them. */
export const REGISTRY_CHANGES: readonly ChangeAdapter[] = [
  dutyChange,
  workItemChange,
  officeChange,
  shareChange,
  serviceChange,
  importChange,
];
