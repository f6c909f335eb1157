/** The changes module's public surface: other modules import only from here. */
export { changesBackoffice } from './changes.backoffice.ts';
export { changesPages, changesPagesFor } from './changes.plugin.ts';
export { scheduledChanges } from './changes.schedule.ts';
export { canProposeOn, mayChangeKind } from './changeset.policy.ts';
export { CHANGE_ENTITY_NAMES } from './changeset.presenter.ts';
export type { ChangeItemRow, ChangeSetFilter, ChangeSetReviewRow, ChangeSetRow } from './changeset.repo.ts';
export {
  countChangeSets,
  findChangeSet,
  listChangeItems,
  listChangeSets,
  listReviews,
  visibleFilter,
} from './changeset.repo.ts';
export type { ChangeEntity, ChangeOp, ChangeStatus } from './changeset.schema.ts';
export { ChangeSetInput, OP_NAMES, OPS, STATUS_NAMES, STATUSES } from './changeset.schema.ts';
export type {
  ChangeKinds,
  ProposedChange,
  TransitionContext,
  TransitionInput,
} from './changeset.service.ts';
export {
  adapterOf,
  addChange,
  applyDueChangeSets,
  createChangeSet,
  currentRecord,
  editChangeSet,
  removeChange,
  reviseChange,
  takeEffect,
  transitionChangeSet,
} from './changeset.service.ts';
export type { SetForPolicy, Transition } from './changeset.workflow.ts';
export {
  allowedTransitions,
  assertTransition,
  canEditChangeSet,
  changeSetAbilities,
  currentStep,
  ROUTED_TRANSITIONS,
  stepRefusal,
  TRANSITIONS,
} from './changeset.workflow.ts';
export { ChangeSetTable, StatusBadge } from './pages/changeset.views.tsx';
export type { ReviewChain, ReviewStep } from './review-chain.ts';
export { DEFAULT_CHAIN, DYNAMIC_CHAIN, parseReviewChain } from './review-chain.ts';
