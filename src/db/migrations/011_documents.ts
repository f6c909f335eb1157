import { type Kysely, type Migration, sql } from 'kysely';
import type { DialectName } from '../database.ts';
import { withId } from './schema-helpers.ts';

/**
 * Official documents (issue 10, item 3): numbered, issued, frozen.
 * - document_counters: one row per document type and year holding the last 文号 sequence given;
 *   the issuing transaction raises it by a conditional update (compare-and-set), so a number is
 *   taken only when the document is stored with it (no gaps) and never twice (no reuse);
 * - documents: the issued document — its type, 文号, subject, the fields it was issued with, the
 *   DOCX bytes and their SHA-256, and the links of a correction (supersedes / superseded_by).
 *
 * Triggers on both databases refuse to change what an issued document says (type, number, fields,
 * bytes, hash, issue time, issuer) and refuse to delete one: the only change allowed is marking it
 * superseded by its correction.
 */
export function documentsMigration(dialect: DialectName): Migration {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('document_counters')
        .addColumn('doc_type', 'text', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('last_seq', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('document_counters_pk', ['doc_type', 'year'])
        .execute();

      await withId(db.schema.createTable('documents'), dialect)
        .addColumn('doc_type', 'text', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        // 文号, e.g. 衡商整改〔2026〕3号
        .addColumn('number', 'text', (c) => c.notNull().unique())
        .addColumn('title', 'text', (c) => c.notNull())
        // What the document is about: e.g. ('rectification', '12'), ('oversight', '衡水市某县商务局')
        .addColumn('subject_kind', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        // JSON object of the type's fields, as issued
        .addColumn('fields', 'text', (c) => c.notNull())
        .addColumn('issued_by', 'integer', (c) => c.references('users.id'))
        .addColumn('issued_by_name', 'text', (c) => c.notNull())
        .addColumn('issued_at', 'text', (c) => c.notNull())
        .addColumn('filename', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('data', bytes, (c) => c.notNull())
        // A correction: the document this one replaces, with the reason
        .addColumn('supersedes_id', 'integer', (c) => c.references('documents.id'))
        .addColumn('correction_reason', 'text')
        // Set once, when a correction replaces this document
        .addColumn('superseded_by_id', 'integer', (c) => c.references('documents.id'))
        .addColumn('superseded_at', 'text')
        .addUniqueConstraint('documents_type_year_seq_uq', ['doc_type', 'year', 'seq'])
        .execute();
      await db.schema
        .createIndex('documents_subject_idx')
        .on('documents')
        .columns(['subject_kind', 'subject_id'])
        .execute();

      const frozen = [
        'doc_type',
        'year',
        'seq',
        'number',
        'title',
        'subject_kind',
        'subject_id',
        'fields',
        'issued_by',
        'issued_by_name',
        'issued_at',
        'filename',
        'size',
        'sha256',
        'data',
        'supersedes_id',
        'correction_reason',
      ];
      if (dialect === 'postgres') {
        const changed = frozen.map((c) => `old.${c} is distinct from new.${c}`).join(' or ');
        await sql
          .raw(`create function documents_frozen() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    raise exception 'document-frozen: an issued document cannot be deleted';
  end if;
  if ${changed} or (old.superseded_by_id is not null and old.superseded_by_id is distinct from new.superseded_by_id) then
    raise exception 'document-frozen: an issued document cannot be changed';
  end if;
  return new;
end $$`)
          .execute(db);
        await sql
          .raw(
            'create trigger documents_frozen before update or delete on documents for each row execute function documents_frozen()',
          )
          .execute(db);
      } else {
        await sql
          .raw(`create trigger documents_frozen_update before update of ${frozen.join(', ')} on documents
begin select raise(abort, 'document-frozen: an issued document cannot be changed'); end`)
          .execute(db);
        await sql
          .raw(`create trigger documents_frozen_relink before update of superseded_by_id on documents
when old.superseded_by_id is not null
begin select raise(abort, 'document-frozen: an issued document cannot be changed'); end`)
          .execute(db);
        await sql
          .raw(`create trigger documents_frozen_delete before delete on documents
begin select raise(abort, 'document-frozen: an issued document cannot be deleted'); end`)
          .execute(db);
      }
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('documents').execute();
      await db.schema.dropTable('document_counters').execute();
      if (dialect === 'postgres') await sql`drop function if exists documents_frozen()`.execute(db);
    },
  };
}
