import type { Selectable } from 'kysely';
import type { DbOrTx, Tx } from '../../../db/database.ts';
import { nowIso } from '../../../db/database.ts';
import type { LegalInstrumentTable } from '../../../db/types.ts';
import {
  buildRegister,
  flagMessage,
  isStale,
  type Register,
  type RegisterEntry,
} from '../../../lib/legal-citations.ts';
import {
  LEVEL_NAMES,
  type LegalInstrumentOut,
  type LegalStatus,
  type Level,
  STATUS_NAMES,
  type SuccessorRelation,
} from './legal.schema.ts';

/** The register's tables: legal_instruments and the titles and subject words of each. */

type Row = Selectable<LegalInstrumentTable>;

async function namesOf(db: DbOrTx): Promise<Map<number, { aliases: string[]; subjects: string[] }>> {
  const rows = await db.selectFrom('legal_instrument_names').selectAll().orderBy('id').execute();
  const out = new Map<number, { aliases: string[]; subjects: string[] }>();
  for (const r of rows) {
    const n = out.get(r.instrument_id) ?? { aliases: [], subjects: [] };
    (r.kind === 'subject' ? n.subjects : n.aliases).push(r.name);
    out.set(r.instrument_id, n);
  }
  return out;
}

/** Every instrument, presented, in title order within level. */
export async function listInstruments(db: DbOrTx): Promise<LegalInstrumentOut[]> {
  const [rows, names] = await Promise.all([
    db.selectFrom('legal_instruments').selectAll().orderBy('id').execute(),
    namesOf(db),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return rows.map((r) => present(r, names.get(r.id), byId));
}

function entryOf(
  r: Row,
  names: { aliases: string[]; subjects: string[] } | undefined,
  byId: Map<number, Row>,
) {
  const successor = r.successor_id !== null ? byId.get(r.successor_id) : undefined;
  return {
    id: r.id,
    title: r.title,
    status: r.status as LegalStatus,
    statusDate: r.status_date,
    docNumber: r.doc_number,
    successorTitle: successor?.title ?? null,
    successorRelation: r.successor_relation as SuccessorRelation | null,
    affectsLists: r.affects_lists === 1,
    note: r.note,
    aliases: names?.aliases ?? [],
    subjects: names?.subjects ?? [],
  } satisfies RegisterEntry;
}

function present(
  r: Row,
  names: { aliases: string[]; subjects: string[] } | undefined,
  byId: Map<number, Row>,
): LegalInstrumentOut {
  const e = entryOf(r, names, byId);
  const successor = r.successor_id !== null ? byId.get(r.successor_id) : undefined;
  return {
    id: r.id,
    title: r.title,
    aliases: e.aliases,
    subjects: e.subjects,
    level: r.level as Level,
    levelName: LEVEL_NAMES[r.level as Level] ?? r.level,
    issuer: r.issuer,
    docNumber: r.doc_number,
    status: e.status,
    statusName: STATUS_NAMES[e.status] ?? r.status,
    promulgatedOn: r.promulgated_on,
    effectiveOn: r.effective_on,
    statusDate: r.status_date,
    successor: successor ? { id: successor.id, title: successor.title } : null,
    successorRelation: e.successorRelation,
    successorText: r.successor_text,
    affectsLists: e.affectsLists,
    note: r.note,
    source: r.source,
    sourceCheckedOn: r.source_checked_on,
    confirmed: r.confirmed === 1,
    flag: isStale(e) ? flagMessage(e, 'cites') : null,
  };
}

/** The register as the citation matcher reads it (one query pair; small). */
export async function loadRegister(db: DbOrTx): Promise<Register> {
  const [rows, names] = await Promise.all([
    db.selectFrom('legal_instruments').selectAll().orderBy('id').execute(),
    namesOf(db),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return buildRegister(rows.map((r) => entryOf(r, names.get(r.id), byId)));
}

export async function findInstrumentByTitle(db: DbOrTx, title: string): Promise<Row | undefined> {
  return db.selectFrom('legal_instruments').selectAll().where('title', '=', title).executeTakeFirst();
}

export interface InstrumentValues {
  title: string;
  level: string;
  issuer: string | null;
  docNumber: string | null;
  status: string;
  promulgatedOn: string | null;
  effectiveOn: string | null;
  statusDate: string | null;
  successorId: number | null;
  successorRelation: string | null;
  successorText: string | null;
  affectsLists: boolean;
  note: string | null;
  source: string;
  sourceCheckedOn: string | null;
  confirmed: boolean;
}

const columns = (v: InstrumentValues) => ({
  title: v.title,
  level: v.level,
  issuer: v.issuer,
  doc_number: v.docNumber,
  status: v.status,
  promulgated_on: v.promulgatedOn,
  effective_on: v.effectiveOn,
  status_date: v.statusDate,
  successor_id: v.successorId,
  successor_relation: v.successorRelation,
  successor_text: v.successorText,
  affects_lists: v.affectsLists ? 1 : 0,
  note: v.note,
  source: v.source,
  source_checked_on: v.sourceCheckedOn,
  confirmed: v.confirmed ? 1 : 0,
});

/** The columns of a row in the shape of InstrumentValues (for audit before/after). */
export function valuesOf(r: Row): InstrumentValues {
  return {
    title: r.title,
    level: r.level,
    issuer: r.issuer,
    docNumber: r.doc_number,
    status: r.status,
    promulgatedOn: r.promulgated_on,
    effectiveOn: r.effective_on,
    statusDate: r.status_date,
    successorId: r.successor_id,
    successorRelation: r.successor_relation,
    successorText: r.successor_text,
    affectsLists: r.affects_lists === 1,
    note: r.note,
    source: r.source,
    sourceCheckedOn: r.source_checked_on,
    confirmed: r.confirmed === 1,
  };
}

export async function insertInstrument(tx: Tx, v: InstrumentValues): Promise<number> {
  const at = nowIso();
  const r = await tx
    .insertInto('legal_instruments')
    .values({ ...columns(v), created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function updateInstrument(tx: Tx, id: number, v: InstrumentValues): Promise<void> {
  await tx
    .updateTable('legal_instruments')
    .set({ ...columns(v), updated_at: nowIso() })
    .where('id', '=', id)
    .execute();
}

export async function setSuccessor(tx: Tx, id: number, successorId: number | null): Promise<void> {
  await tx.updateTable('legal_instruments').set({ successor_id: successorId }).where('id', '=', id).execute();
}

/** Replaces the instrument's names of one kind. */
export async function replaceNames(
  tx: Tx,
  id: number,
  kind: 'alias' | 'subject',
  names: readonly string[],
): Promise<void> {
  await tx
    .deleteFrom('legal_instrument_names')
    .where('instrument_id', '=', id)
    .where('kind', '=', kind)
    .execute();
  for (const name of names) {
    await tx.insertInto('legal_instrument_names').values({ instrument_id: id, name, kind }).execute();
  }
}

export async function namesOfInstrument(db: DbOrTx, id: number) {
  const rows = await db
    .selectFrom('legal_instrument_names')
    .select(['name', 'kind'])
    .where('instrument_id', '=', id)
    .orderBy('id')
    .execute();
  return {
    aliases: rows.filter((r) => r.kind === 'alias').map((r) => r.name),
    subjects: rows.filter((r) => r.kind === 'subject').map((r) => r.name),
  };
}

/** The instrument that already uses a title as its title or alias (other than `except`). */
export async function ownerOfName(db: DbOrTx, name: string, except: number | null): Promise<string | null> {
  const t = await db
    .selectFrom('legal_instruments')
    .select(['id', 'title'])
    .where('title', '=', name)
    .executeTakeFirst();
  if (t && t.id !== except) return t.title;
  const a = await db
    .selectFrom('legal_instrument_names as n')
    .innerJoin('legal_instruments as i', 'i.id', 'n.instrument_id')
    .select(['i.id', 'i.title'])
    .where('n.kind', '=', 'alias')
    .where('n.name', '=', name)
    .executeTakeFirst();
  return a && a.id !== except ? a.title : null;
}
