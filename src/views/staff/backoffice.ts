/**
 * What a module contributes to the back office: entries in the staff navigation and the counts
 * of what waits for the signed-in person ("waiting for you" on the dashboard). Each module's
 * index.ts exports one `BackofficeContribution`; app.ts hands the list to the backoffice module,
 * so the frame and the dashboard never import the modules themselves.
 */

/** The signed-in person as a contribution sees them (a structural subset of auth's SessionUser). */
export interface BackofficeUser {
  id: number;
  role: string;
  officeIds: number[];
}

export interface StaffNavItem {
  href: string;
  /** Chinese label. */
  label: string;
  /** Roles that see the entry (every staff role when absent). */
  roles?: readonly string[];
  /** Order in the bar (lower first). */
  order: number;
  /** A key of the contribution's `navCounts`: the entry shows that count beside its label. */
  countKey?: string;
}

export interface WaitingItem {
  /** Chinese: what waits, e.g. "待审核的调整单". */
  label: string;
  count: number;
  /** Where the person handles it. */
  href: string;
  /** A few of the waiting records by name (e.g. the titles of the change sets), newest first. */
  examples?: ReadonlyArray<{ label: string; href: string }>;
}

/** The navigation of the staff frame: every contribution's entries, in their order. */
export function mergeNav(contributions: readonly { nav: readonly StaffNavItem[] }[]): StaffNavItem[] {
  return contributions.flatMap((c) => c.nav).sort((a, b) => a.order - b.order);
}

/** The entries a role sees. */
export const navFor = (nav: readonly StaffNavItem[], role: string) =>
  nav.filter((n) => !n.roles || n.roles.includes(role));

/**
 * `Db` is the database handle the module's query takes — `DbOrTx` from src/db/database.ts (views
 * import no database code, so the contract names it as a parameter): `BackofficeContribution<DbOrTx>`.
 */
export interface BackofficeContribution<Db> {
  nav: readonly StaffNavItem[];
  /** What waits for this person in the module; only items with a count above zero are shown. */
  waiting?: (db: Db, user: BackofficeUser) => Promise<WaitingItem[]>;
  /** Counts shown in the navigation beside the entries with a `countKey` (e.g. overdue deadlines). */
  navCounts?: (db: Db, user: BackofficeUser) => Promise<Record<string, number>>;
}
