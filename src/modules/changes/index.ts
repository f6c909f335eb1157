/** The changes module's public surface: other modules import only from here. */
export { canAuthor, canProposeOn, canPublish, canReview } from './changes.policy.ts';
export type { ChangeEntity, ChangeOp, ChangeStatus } from './changes.schema.ts';
export {
  ChangeSetInput,
  ENTITIES,
  ENTITY_NAMES,
  OP_NAMES,
  OPS,
  STATUS_NAMES,
  STATUSES,
} from './changes.schema.ts';
export type { CurrentRecord, Transition } from './changes.service.ts';
export {
  addChange,
  createChangeSet,
  currentRecord,
  removeChange,
  TRANSITIONS,
  transitionChangeSet,
} from './changes.service.ts';
