/**
 * Form input of the back office. A posted form arrives as strings (repeated names as arrays);
 * these helpers read it and keep it for re-rendering after an error.
 */

export type FormValues = Record<string, string | string[]>;

/** The form body as string values only (anything else dropped). */
export function formOf(body: unknown): FormValues {
  const out: FormValues = {};
  if (!body || typeof body !== 'object') return out;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
  }
  return out;
}

export function one(form: FormValues, name: string): string {
  const v = form[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? (v[0] ?? '') : '';
}

export function many(form: FormValues, name: string): string[] {
  const v = form[name];
  return typeof v === 'string' ? [v] : Array.isArray(v) ? v : [];
}

/** A positive integer from a query or form value, or null. */
export function positiveInt(value: unknown): number | null {
  if (typeof value !== 'string' || !/^[1-9]\d{0,9}$/.test(value)) return null;
  const n = Number(value);
  return n <= 2_147_483_647 ? n : null;
}
