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
}

export interface WaitingItem {
  /** Chinese: what waits, e.g. "待审核的调整单". */
  label: string;
  count: number;
  /** Where the person handles it. */
  href: string;
}

/**
 * `Db` is the database handle the module's query takes — `DbOrTx` from src/db/database.ts (views
 * import no database code, so the contract names it as a parameter): `BackofficeContribution<DbOrTx>`.
 */
export interface BackofficeContribution<Db> {
  nav: readonly StaffNavItem[];
  /** What waits for this person in the module; only items with a count above zero are shown. */
  waiting?: (db: Db, user: BackofficeUser) => Promise<WaitingItem[]>;
}
