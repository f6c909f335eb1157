/**
 * A closed set of codes with their Chinese names, written once: the names object is the source,
 * the codes (in the object's order) are derived from it, as a non-empty tuple that `z.enum` takes.
 *
 *   export const PLAN_STATUS_NAME = { draft: '草稿', drawn: '已抽取' } as const;
 *   export const PLAN_STATUSES = codesOf(PLAN_STATUS_NAME);     // ['draft', 'drawn']
 *   export type PlanStatus = keyof typeof PLAN_STATUS_NAME;
 */
export function codesOf<K extends string>(names: Readonly<Record<K, string>>): readonly [K, ...K[]] {
  const codes = Object.keys(names) as K[];
  if (codes.length === 0) throw new Error('codesOf: a set of codes needs at least one code');
  return codes as unknown as readonly [K, ...K[]];
}
