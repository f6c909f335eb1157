/**
 * Rows per multi-row statement: well below SQLite's (32,766) and PostgreSQL's (65,535) limits on
 * bound parameters for the widest rows written in chunks (about 12 columns).
 */
export const ROWS_PER_STATEMENT = 400;

/** `items` in consecutive slices of at most `size` (none for an empty list). */
export function chunksOf<T>(items: readonly T[], size = ROWS_PER_STATEMENT): T[][] {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`chunk size must be a positive integer, not ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
