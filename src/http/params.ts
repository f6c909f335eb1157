import { z } from 'zod';

/** A positive integer id from a path parameter, or null (the page then answers 404). */
export function parseId(value: unknown): number | null {
  if (typeof value !== 'string' || !/^[1-9]\d{0,9}$/.test(value)) return null;
  const n = Number(value);
  return n <= 2_147_483_647 ? n : null;
}

/** A positive line number from the query string, or the fallback. */
export function parseLine(value: unknown, fallback: number): number {
  if (typeof value !== 'string' || !/^\d{1,7}$/.test(value)) return fallback;
  const n = Number(value);
  return n >= 1 ? n : fallback;
}

/** A positive integer route parameter (default `:id`), or null. */
export function idParam(req: { params: unknown }, name = 'id'): number | null {
  return parseId((req.params as Record<string, unknown> | undefined)?.[name]);
}

/**
 * The largest value of the integer columns on both databases (PostgreSQL `integer`, int4): ids,
 * versions, sequence numbers. A larger number in a URL names nothing, and PostgreSQL would refuse
 * to compare it with an int4 column (a 500), so input declarations stop it first.
 */
export const DB_INT_MAX = 2_147_483_647;

/** A positive integer id, version or sequence number from a path or query string (400 beyond range). */
export const dbId = () =>
  z.coerce.number().int().positive().max(DB_INT_MAX, `编号超出范围：最大为 ${DB_INT_MAX}`);

/** An integer filter value that fits an integer column (a year, a count). */
export const dbInt = () =>
  z.coerce
    .number()
    .int()
    .min(-DB_INT_MAX - 1, '数值超出范围')
    .max(DB_INT_MAX, `数值超出范围：最大为 ${DB_INT_MAX}`);
