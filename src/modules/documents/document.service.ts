import type { Db, DbOrTx } from '../../db/database.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { CHINA_OFFSET_MS, isCalendarDate } from '../../lib/china-time.ts';
import { type Actor, appendAudit } from '../audit/index.ts';
import { allocateSequence } from './document.numbering.ts';
import { renderDocx, sha256Hex } from './document.render.ts';
import {
  type DocumentFilter,
  type DocumentHead,
  findDocumentBytes,
  findDocumentHead,
  insertDocument,
  listDocumentHeads,
  markSuperseded,
} from './document.repo.ts';
import { citationText, type DocumentType, documentType, formatNumber } from './document.types.ts';

/**
 * The actions on official documents. Issuing allocates the 文号 and stores the DOCX bytes and their
 * SHA-256 in the CALLER'S transaction (with its audit entry), so a document exists exactly when the
 * action that issues it commits. Issued documents are frozen: editing is refused (and audited), a
 * correction is a new document that supersedes the old, both kept and linked both ways.
 */

/** Who issues: an audit actor ({ id, name }) or a signed-in staff user ({ id, username }). */
export type IssuedBy = { id: number | null; name: string } | { id: number; username: string };

export interface IssueDocumentInput {
  /** Document type code (document.types.ts), e.g. 'rectification-notice'. */
  type: string;
  /** What the document is about: another module's record. */
  subject: { kind: string; id: string | number };
  /** The type's fields (keys of DOCUMENT_TYPES[…].fields), as text; dates YYYY-MM-DD. */
  fields: Readonly<Record<string, string>>;
  issuedBy: IssuedBy;
  /** A correction: the document this one replaces (same type), and why. */
  supersedes?: { id: number; reason: string };
  /** Issue time (default now): the 文号's year is its China year; the DOCX carries it. */
  at?: Date;
}

export interface IssuedDocument {
  id: number;
  number: string;
  sha256: string;
}

const actorOfIssuer = (by: IssuedBy): Actor => ({
  id: by.id,
  name: 'username' in by ? by.username : by.name,
});

const chinaYear = (at: Date) => new Date(at.getTime() + CHINA_OFFSET_MS).getUTCFullYear();

function typeOrThrow(code: string): DocumentType {
  const type = documentType(code);
  if (!type) throw new AppError(400, 'document-type-unknown', `未知的文书类型“${code}”`);
  return type;
}

/**
 * The fields as issued: the type's keys only, trimmed; every required element present. A missing
 * required element is refused with its Chinese label and the rule that requires it.
 */
export function checkFields(
  type: DocumentType,
  fields: Readonly<Record<string, string>>,
): Record<string, string> {
  const known = new Set(type.fields.map((f) => f.key));
  const unknown = Object.keys(fields).filter((k) => !known.has(k));
  if (unknown.length > 0) {
    throw new AppError(400, 'document-field-unknown', `《${type.name}》没有这些栏目：${unknown.join('、')}`, {
      unknown,
    });
  }
  const out: Record<string, string> = {};
  const missing: string[] = [];
  const problems: string[] = [];
  for (const f of type.fields) {
    const raw = fields[f.key];
    const value = typeof raw === 'string' ? raw.trim() : '';
    if (value === '') {
      if (f.required) missing.push(f.key);
      continue;
    }
    if (f.kind === 'date' && !isCalendarDate(value)) {
      problems.push(`“${f.label}”应为日期，格式YYYY-MM-DD（例如2026-10-23）`);
    }
    out[f.key] = value;
  }
  if (missing.length > 0) {
    const labels = missing.map((k) => type.fields.find((f) => f.key === k)!);
    const named = labels
      .map((f) => (f.citation ? `“${f.label}”（依据：${citationText(f.citation)}）` : `“${f.label}”`))
      .join('；');
    throw new AppError(
      400,
      'document-element-missing',
      `《${type.name}》必须载明的内容未填写，不能签发：${named}。请补全后再签发`,
      { missing },
    );
  }
  if (problems.length > 0) throw new AppError(400, 'document-field-invalid', problems.join('；'));
  return out;
}

/**
 * Issues a document inside the caller's transaction: checks the fields, allocates the next 文号
 * of the type and year, renders and stores the DOCX and its SHA-256, links a correction to the
 * document it supersedes, and writes the audit entries. Returns the id, the 文号 and the hash.
 */
export async function issueDocument(trx: DbOrTx, input: IssueDocumentInput): Promise<IssuedDocument> {
  if (!trx.isTransaction) return trx.transaction().execute((t) => issueDocument(t, input));
  const type = typeOrThrow(input.type);
  const fields = checkFields(type, input.fields);
  const actor = actorOfIssuer(input.issuedBy);
  const at = input.at ?? new Date();
  const issuedAt = at.toISOString();

  let old: DocumentHead | undefined;
  if (input.supersedes) {
    old = await findDocumentHead(trx, input.supersedes.id);
    if (!old) throw notFound(`编号为 ${input.supersedes.id} 的文书`);
    if (old.doc_type !== type.code) {
      throw new AppError(
        409,
        'document-type-mismatch',
        `更正文书须与原文书同一类型（原文书为《${typeOrThrow(old.doc_type).name}》）`,
      );
    }
    if (old.superseded_by_id !== null) {
      throw new AppError(
        409,
        'document-already-superseded',
        `文书${old.number}已被更正替代，请更正最新的文书`,
      );
    }
    if (input.supersedes.reason.trim().length < 2) {
      throw new AppError(400, 'document-correction-reason', '请写明更正理由');
    }
  }

  const year = chinaYear(at);
  const seq = await allocateSequence(trx, type.code, year);
  const number = formatNumber(type, year, seq);
  const data = await renderDocx({
    type,
    number,
    issuedAt,
    fields,
    supersedesNumber: old?.number ?? null,
    correctionReason: input.supersedes?.reason.trim() ?? null,
  });
  const sha256 = sha256Hex(data);
  const subjectId = String(input.subject.id);
  const id = await insertDocument(trx, {
    doc_type: type.code,
    year,
    seq,
    number,
    title: type.name,
    subject_kind: input.subject.kind,
    subject_id: subjectId,
    fields: JSON.stringify(fields),
    issued_by: actor.id,
    issued_by_name: actor.name,
    issued_at: issuedAt,
    filename: `${type.name}-${year}-${seq}.docx`,
    size: data.length,
    sha256,
    data,
    supersedes_id: old?.id ?? null,
    correction_reason: input.supersedes?.reason.trim() ?? null,
    superseded_by_id: null,
    superseded_at: null,
  });
  if (old) {
    if (!(await markSuperseded(trx, old.id, id, issuedAt))) {
      throw new AppError(
        409,
        'document-already-superseded',
        `文书${old.number}已被更正替代，请更正最新的文书`,
      );
    }
    await appendAudit(trx, {
      actor,
      action: 'document-superseded',
      entity: 'document',
      entityId: old.id,
      before: { number: old.number },
      after: { supersededBy: number, supersededById: id, reason: input.supersedes!.reason.trim() },
    });
  }
  await appendAudit(trx, {
    actor,
    action: 'document-issue',
    entity: 'document',
    entityId: id,
    after: {
      type: type.code,
      number,
      subject: { kind: input.subject.kind, id: subjectId },
      sha256,
      supersedes: old?.number ?? null,
    },
  });
  return { id, number, sha256 };
}

/** A correction of `id`: a new document of the same type and subject with the corrected fields. */
export async function supersedeDocument(
  trx: DbOrTx,
  input: {
    id: number;
    fields: Readonly<Record<string, string>>;
    reason: string;
    issuedBy: IssuedBy;
    at?: Date;
  },
): Promise<IssuedDocument> {
  const old = await findDocumentHead(trx, input.id);
  if (!old) throw notFound(`编号为 ${input.id} 的文书`);
  return issueDocument(trx, {
    type: old.doc_type,
    subject: { kind: old.subject_kind, id: old.subject_id },
    fields: input.fields,
    issuedBy: input.issuedBy,
    supersedes: { id: old.id, reason: input.reason },
    at: input.at,
  });
}

/**
 * An attempt to change an issued document: always refused (409 document-frozen), and the attempt
 * is written to the audit trail first, in its own transaction, so the refusal does not erase it.
 * Takes the database, not a transaction: the caller's rollback must not undo the record.
 */
export async function editDocument(
  db: Db,
  input: { id: number; attempted: unknown; by: IssuedBy; via: string },
): Promise<never> {
  const doc = await findDocumentHead(db, input.id);
  if (!doc) throw notFound(`编号为 ${input.id} 的文书`);
  await db.transaction().execute((tx) =>
    appendAudit(tx, {
      actor: actorOfIssuer(input.by),
      action: 'document-edit-refused',
      entity: 'document',
      entityId: doc.id,
      before: { number: doc.number, sha256: doc.sha256 },
      after: { attempted: input.attempted, via: input.via },
    }),
  );
  throw new AppError(
    409,
    'document-frozen',
    `文书${doc.number}已签发，内容不能修改（此次尝试已记入审计日志）。如需更正，请签发更正文书替代原文书`,
  );
}

/** One document without its bytes, or undefined. */
export async function getDocument(db: DbOrTx, id: number): Promise<DocumentHead | undefined> {
  return findDocumentHead(db, id);
}

/**
 * The stored DOCX bytes of a document, checked against the stored SHA-256 (a mismatch is refused:
 * the bytes would not be the ones issued).
 */
export async function documentBytes(
  db: DbOrTx,
  id: number,
): Promise<{ data: Buffer; sha256: string; filename: string } | undefined> {
  const r = await findDocumentBytes(db, id);
  if (!r) return undefined;
  if (sha256Hex(r.data) !== r.sha256) {
    throw new AppError(
      500,
      'document-integrity',
      `文书${id}的存储内容与签发时的哈希值不符，请联系系统管理员`,
    );
  }
  return r;
}

/** Documents, newest first; `subject` narrows to one record's documents. */
export async function listDocuments(
  db: DbOrTx,
  filter: {
    subject?: { kind: string; id: string | number };
    type?: string;
    year?: number;
    limit?: number;
    offset?: number;
  } = {},
): Promise<DocumentHead[]> {
  const f: DocumentFilter = {
    subjectKind: filter.subject?.kind,
    subjectId: filter.subject === undefined ? undefined : String(filter.subject.id),
    docType: filter.type,
    year: filter.year,
    limit: filter.limit,
    offset: filter.offset,
  };
  return listDocumentHeads(db, f);
}

/**
 * Renders the document again from its stored fields and compares with the stored bytes: rendering
 * is deterministic, so `identical` is true unless the renderer (or the docx library) changed. The
 * stored bytes stay the authority either way.
 */
export async function verifyRendering(
  db: DbOrTx,
  id: number,
): Promise<{ stored: string; regenerated: string; identical: boolean } | undefined> {
  const doc = await findDocumentHead(db, id);
  if (!doc) return undefined;
  const old = doc.supersedes_id === null ? undefined : await findDocumentHead(db, doc.supersedes_id);
  const data = await renderDocx({
    type: typeOrThrow(doc.doc_type),
    number: doc.number,
    issuedAt: doc.issued_at,
    fields: JSON.parse(doc.fields) as Record<string, string>,
    supersedesNumber: old?.number ?? null,
    correctionReason: doc.correction_reason,
  });
  const regenerated = sha256Hex(data);
  return { stored: doc.sha256, regenerated, identical: regenerated === doc.sha256 };
}
