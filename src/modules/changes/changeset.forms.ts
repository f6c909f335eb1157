import type { FastifyRequest } from 'fastify';
import { fieldOf, fieldsOf } from '../../http/forms.ts';
import type { ChangeAdapter } from '../registry/index.ts';

/**
 * The change forms as posted: strings (checkbox groups as lists), kept for re-rendering after a
 * refusal, and turned into a payload for the adapter's Zod schema (which does the validation).
 * Generic over the adapter's fields: how a field is read follows its kind, not its record.
 */

export type FormValues = Record<string, string | string[]>;

export function one(form: FormValues, name: string): string {
  const v = form[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? (v[0] ?? '') : '';
}

export function many(form: FormValues, name: string): string[] {
  const v = form[name];
  return typeof v === 'string' ? [v] : Array.isArray(v) ? v : [];
}

/** The posted values of these fields (`lists`: checkbox groups). */
export function formValues(
  req: FastifyRequest,
  names: readonly string[],
  lists: readonly string[] = [],
): FormValues {
  const out: FormValues = {};
  for (const n of names) out[n] = fieldOf(req, n);
  for (const n of lists) out[n] = fieldsOf(req, n);
  return out;
}

/** The posted form of an adapter's fields. */
export function adapterForm(
  req: FastifyRequest,
  adapter: ChangeAdapter,
  extra: readonly string[],
): FormValues {
  const lists = adapter.fields.filter((f) => f.kind === 'offices').map((f) => f.key);
  const names = adapter.fields.filter((f) => f.kind !== 'offices').map((f) => f.key);
  return formValues(req, [...names, ...extra], lists);
}

/** A list typed into one field: split on 、 , ， ; ； and line breaks, blanks dropped. */
export function splitList(text: string): string[] {
  return text
    .split(/[、,，;；\r\n]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The payload for the adapter's schema from a posted change form. */
export function payloadFromForm(adapter: ChangeAdapter, form: FormValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of adapter.fields) {
    if (f.kind === 'offices') out[f.key] = many(form, f.key);
    else if (f.kind === 'list') out[f.key] = splitList(one(form, f.key));
    else if (f.optional && one(form, f.key).trim() === '') out[f.key] = null;
    else out[f.key] = one(form, f.key);
  }
  return out;
}

/** Form values that show a payload (the record now, or a proposed change being revised). */
export function formFromPayload(adapter: ChangeAdapter, p: Record<string, unknown>): FormValues {
  const out: FormValues = {};
  for (const f of adapter.fields) {
    const v = p[f.key];
    if (f.kind === 'offices') out[f.key] = Array.isArray(v) ? v.map(String) : [];
    else if (f.kind === 'list') out[f.key] = Array.isArray(v) ? v.map(String).join('、') : '';
    else out[f.key] = v === null || v === undefined ? '' : String(v);
  }
  return out;
}
