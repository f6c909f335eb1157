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
