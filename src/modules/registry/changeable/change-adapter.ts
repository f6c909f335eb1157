import type { z } from 'zod';
import type { DbOrTx, Tx } from '../../../db/database.ts';
import { AppError } from '../../../http/errors.ts';
import { shorten } from '../../../lib/text.ts';

/**
 * What the generic change-set workflow (modules/changes) needs to know about one kind of
 * changeable record. Each adapter lives with the module that owns the table and writes through
 * that module's write repositories; changes/ iterates the adapters and names no entity itself.
 * Adding a changeable kind means adding one adapter to its owner's list.
 */

export type ChangeOp = 'create' | 'update' | 'retire';

/**
 * How a payload field is read from a form, edited and shown: one line or several, a number, a
 * list typed into one field (split on 、 , ；), checkboxes of offices, or a choice among the
 * registry's duties, boundary matters or departments (by id).
 */
export type FieldKind = 'text' | 'area' | 'number' | 'list' | 'offices' | 'duty' | 'matter' | 'department';

export interface ChangeField {
  /** The payload key, also the form field's name. */
  key: string;
  /** Chinese name of the field (in diffs and on the form). */
  label: string;
  kind: FieldKind;
  /** A blank value means null (the field may stay empty). */
  optional?: boolean;
  max?: number;
  /** A line under the label, e.g. how to separate several values. */
  hint?: string;
}

/** A record as it stands now, in the shape of its change payload. */
export interface CurrentRecord {
  payload: Record<string, unknown>;
  /** The offices the record names (an editor's scope). */
  officeIds: number[];
  /** The department whose lists hold the record. */
  departmentId: number;
}

export interface ApplyContext {
  op: ChangeOp;
  /** The record changed (null for a create). */
  targetId: number | null;
  /** The department of the change set (new records go into its lists). */
  departmentId: number;
}

export interface ChangeAdapter<P = Record<string, unknown>> {
  /** Stable key stored in change_items.entity and in the audit trail. */
  entity: string;
  /** Chinese name of the kind of record (主要职责, 公共服务事项, …). */
  name: string;
  /** The one declaration of a valid payload: validation and type. */
  payload: z.ZodType<P>;
  /** The payload's fields in display order. */
  fields: readonly ChangeField[];
  /** Editors may propose changes to records of their own offices; other kinds are for admins. */
  officeScoped: boolean;
  current(db: DbOrTx, id: number): Promise<CurrentRecord | null>;
  /** The offices a payload hands the record to (the editor scope after the change). */
  officesOf(payload: P): number[];
  /** Refuses (400) a payload naming records that do not exist. */
  checkReferences(db: DbOrTx, payload: P): Promise<void>;
  /** Writes the change through the owner's write repositories; returns the record's id. */
  apply(tx: Tx, ctx: ApplyContext, payload: P | null): Promise<number>;
  /** A short label of the record, shown beside the change's heading. */
  label(payload: Record<string, unknown>): string;
}

/** Erases the payload type so adapters of different kinds sit in one list. */
export function changeAdapter<P>(adapter: ChangeAdapter<P>): ChangeAdapter {
  return adapter as unknown as ChangeAdapter;
}

/** The writes of one kind of record in its owner's write repository. */
export interface RecordWrites<P> {
  insert(tx: Tx, payload: P, departmentId: number): Promise<number>;
  update(tx: Tx, id: number, payload: P, departmentId: number): Promise<void>;
  remove(tx: Tx, id: number): Promise<void>;
}

/** `apply` for a kind written by an insert, an update and a delete: the change's op picks the write. */
export function applyThrough<P>(writes: RecordWrites<P>): ChangeAdapter<P>['apply'] {
  return async (tx, { op, targetId, departmentId }, payload) => {
    if (op === 'create') return writes.insert(tx, payload!, departmentId);
    if (op === 'update') await writes.update(tx, targetId!, payload!, departmentId);
    else await writes.remove(tx, targetId!);
    return targetId!;
  };
}

/** Refuses (400) a payload that names a record which does not exist. */
export async function mustExist(
  db: DbOrTx,
  table: 'duties' | 'offices' | 'boundary_matters' | 'departments',
  id: unknown,
  what: string,
): Promise<void> {
  const r = await db.selectFrom(table).select('id').where('id', '=', Number(id)).executeTakeFirst();
  if (!r) throw new AppError(400, 'bad_reference', `${what} ${String(id)} 不存在`);
}

export async function mustAllExist(db: DbOrTx, officeIds: readonly number[]): Promise<void> {
  for (const o of officeIds) await mustExist(db, 'offices', o, '科室');
}

/** What a registry kind declares; `defineChange` fills in what most kinds share. */
export interface ChangeSpec<P> {
  payload: z.ZodType<P>;
  fields: readonly ChangeField[];
  /** Default false: the kind is for admins. */
  officeScoped?: boolean;
  current: ChangeAdapter<P>['current'];
  /** Default: the kind names no offices. */
  officesOf?: ChangeAdapter<P>['officesOf'];
  /** Default: the payload names no other records. */
  checkReferences?: ChangeAdapter<P>['checkReferences'];
  /** The kind's insert, update and delete; the change's op picks one. */
  writes: RecordWrites<P>;
  /** The payload field whose text (shortened) labels the record, or how to label it. */
  label: (keyof P & string) | ChangeAdapter<P>['label'];
}

/** The adapter of a registry kind: `entity` its stable key, `name` its Chinese name. */
export function defineChange<P>(entity: string, name: string, spec: ChangeSpec<P>): ChangeAdapter {
  const { label, writes, ...rest } = spec;
  return changeAdapter<P>({
    entity,
    name,
    officeScoped: false,
    officesOf: () => [],
    checkReferences: async () => {},
    ...rest,
    apply: applyThrough(writes),
    label:
      typeof label === 'function'
        ? label
        : (p) => (typeof p[label] === 'string' ? shorten(p[label], 40) : ''),
  });
}
