import { defineAbilities } from '../../auth/index.ts';
import { coversCategories, type SupervisionReach, touchesCategories } from '../shared/reach.ts';
import { REGISTER_READERS, REGISTER_WRITERS } from '../shared/supervision.policy.ts';

/**
 * Who may do what in the entity register (检查对象名录库). Admins maintain every entity; an editor
 * those of the categories their offices' regimes cover: `maintain` (the add and import pages) needs
 * some category in reach; `create` every category of the new entity; `edit` at least one category
 * of the entity as it is (the categories it would gain must be in reach too — the service reports
 * those as a form error naming the categories the person may use).
 */
export interface EntityTarget {
  reach: SupervisionReach;
  /** The entity's categories as stored (edit). */
  before?: readonly string[];
  /** The categories it would have (create). */
  after?: readonly string[];
}

export const entityAbilities = defineAbilities<EntityTarget>()({
  read: {
    roles: REGISTER_READERS,
    refusal: '只有系统管理员、科室编辑、审核人和审计人员可以查看检查对象名录库',
  },
  maintain: {
    roles: REGISTER_WRITERS,
    when: (_u, t) => t.reach.all || t.reach.categories.size > 0,
    refusal:
      '您所在科室不负责任何监管制度，不能维护检查对象名录库（只有系统管理员和负责该监管制度的科室编辑可以）',
  },
  create: {
    roles: REGISTER_WRITERS,
    when: (_u, t) => (t.reach.all || t.reach.categories.size > 0) && coversCategories(t.reach, t.after ?? []),
    refusal: '科室编辑只能新增本科室负责的监管制度所涉类别的检查对象',
  },
  edit: {
    roles: REGISTER_WRITERS,
    when: (_u, t) => touchesCategories(t.reach, t.before ?? []),
    refusal: '该检查对象不属于您所在科室负责的监管制度，只有系统管理员和负责科室的编辑可以修改',
  },
});
