import type { ChangeEntity } from '../changes/index.ts';

/**
 * Form input of the back office. A posted form arrives as strings (repeated names as arrays);
 * these helpers read it, keep it for re-rendering after an error, and build change payloads
 * for the Zod schemas in changes.schema.ts (which do the real validation).
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

/** A list typed into one field: split on 、 , ， ; ； and line breaks, blanks dropped. */
export function splitList(text: string): string[] {
  return text
    .split(/[、,，;；\r\n]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The payload for addChange from a posted change form. */
export function payloadFromForm(entity: ChangeEntity, form: FormValues): Record<string, unknown> {
  switch (entity) {
    case 'duty':
      return { seq: one(form, 'seq'), text: one(form, 'text') };
    case 'workItem':
      return {
        dutyId: one(form, 'dutyId'),
        text: one(form, 'text'),
        officeIds: many(form, 'officeIds'),
        remark: one(form, 'remark').trim() === '' ? null : one(form, 'remark'),
      };
    case 'office':
      return { name: one(form, 'name'), aliases: splitList(one(form, 'aliases')) };
    case 'share':
      return {
        matterId: one(form, 'matterId'),
        departmentId: one(form, 'departmentId'),
        text: one(form, 'text'),
      };
    case 'service':
      return {
        name: one(form, 'name'),
        content: one(form, 'content'),
        officeIds: many(form, 'officeIds'),
        phones: splitList(one(form, 'phones')),
      };
  }
}

/** Form values that show a record's current payload (for an update form). */
export function formFromPayload(entity: ChangeEntity, p: Record<string, unknown>): FormValues {
  const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const ids = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String).join('、') : '');
  switch (entity) {
    case 'duty':
      return { seq: str(p.seq), text: str(p.text) };
    case 'workItem':
      return { dutyId: str(p.dutyId), text: str(p.text), officeIds: ids(p.officeIds), remark: str(p.remark) };
    case 'office':
      return { name: str(p.name), aliases: list(p.aliases) };
    case 'share':
      return { matterId: str(p.matterId), departmentId: str(p.departmentId), text: str(p.text) };
    case 'service':
      return {
        name: str(p.name),
        content: str(p.content),
        officeIds: ids(p.officeIds),
        phones: list(p.phones),
      };
  }
}

/** A positive integer from a query or form value, or null. */
export function positiveInt(value: unknown): number | null {
  if (typeof value !== 'string' || !/^[1-9]\d{0,9}$/.test(value)) return null;
  const n = Number(value);
  return n <= 2_147_483_647 ? n : null;
}
