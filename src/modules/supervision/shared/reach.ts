import type { DbOrTx } from '../../../db/database.ts';
import type { SessionUser } from '../../auth/index.ts';
import { CATEGORY_NAME, type CategoryCode } from '../reference/index.ts';
import { officesOfRegime } from '../rules/regime-offices.ts';
import { REGIME_RULES } from '../rules/rules.ts';

/**
 * What part of supervision a person's offices own. A 科室编辑 (editor) maintains only the entities
 * of the categories their offices' regimes cover (rules/regime-offices.ts: the office each regime's
 * work item of part 1 names) and only the inspectors of their own offices; every other role's
 * reach is the whole of supervision (their role decides what they may do at all).
 */
export interface SupervisionReach {
  /** Not narrowed by office (every role but the editor). */
  all: boolean;
  officeIds: ReadonlySet<number>;
  /** The regimes (seq) the offices run. */
  regimes: ReadonlySet<number>;
  /** The entity categories those regimes cover. */
  categories: ReadonlySet<CategoryCode>;
}

export const narrowed = (user: Pick<SessionUser, 'role'>) => user.role === 'editor';

export async function reachOf(db: DbOrTx, user: SessionUser): Promise<SupervisionReach> {
  const officeIds = new Set(user.officeIds);
  if (!narrowed(user)) return { all: true, officeIds, regimes: new Set(), categories: new Set() };
  const names =
    officeIds.size === 0
      ? []
      : (
          await db
            .selectFrom('offices')
            .select('name')
            .where('id', 'in', [...officeIds])
            .execute()
        ).map((o) => o.name);
  const mine = new Set(names);
  const regimes = new Set(
    REGIME_RULES.filter((r) => officesOfRegime(r.seq).some((o) => mine.has(o))).map((r) => r.seq),
  );
  const categories = new Set(
    REGIME_RULES.filter((r) => regimes.has(r.seq)).flatMap((r) => r.subjects.categories),
  );
  return { all: false, officeIds, regimes, categories };
}

/** May the person maintain entities of these categories? */
export const coversCategories = (reach: SupervisionReach, categories: readonly string[]) =>
  reach.all || categories.every((c) => reach.categories.has(c as CategoryCode));

/** Does the person's reach touch a record of these categories (at least one is theirs)? */
export const touchesCategories = (reach: SupervisionReach, categories: readonly string[]) =>
  reach.all || categories.some((c) => reach.categories.has(c as CategoryCode));

/** The office owns the inspector (an inspector of no office belongs to no editor). */
export const ownsOffice = (reach: SupervisionReach, officeId: number | null) =>
  reach.all || (officeId !== null && reach.officeIds.has(officeId));

/** "成品油零售、成品油批发/仓储" — the categories a narrowed person may maintain, for messages. */
export const categoriesText = (reach: SupervisionReach) =>
  [...reach.categories].map((c) => CATEGORY_NAME[c]).join('、') || '（无）';
