import type { DbOrTx } from '../../../db/database.ts';
import type { Register } from '../../../lib/legal-citations.ts';
import type { Page } from '../read/registry.repo.ts';
import type { PageOut } from '../registry.schema.ts';
import { loadRegister } from './legal.repo.ts';
import type { LegalFlagOut } from './legal.schema.ts';

/** The legal warnings where people read: a list of the record's flags, and lists that carry them. */

/** The record's warnings, each linking to the instrument in the register; nothing when there are none. */
export function LegalFlags({
  flags,
  compact,
}: {
  flags: readonly LegalFlagOut[] | undefined;
  compact?: boolean;
}) {
  if (!flags || flags.length === 0) return null;
  return (
    <div class={compact ? 'legal-flags compact' : 'legal-flags'} role="note" aria-label="依据变化提示">
      {compact ? null : <p class="legal-flags-head">依据已变化，本项内容可能需要调整：</p>}
      <ul>
        {flags.map((f) => (
          <li>
            <a href={`/legal/${f.instrumentId}`}>{f.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A registry list whose records come with their legal warnings (for the portal pages). */
export function flaggedList<F, T, U>(
  list: (db: DbOrTx, filter: F, page: Page) => Promise<PageOut<T>>,
  flag: (record: T, register: Register) => U,
): (db: DbOrTx, filter: F, page: Page) => Promise<PageOut<U>> {
  return async (db, filter, page) => {
    const [out, register] = await Promise.all([list(db, filter, page), loadRegister(db)]);
    return { ...out, items: out.items.map((r) => flag(r, register)) };
  };
}
