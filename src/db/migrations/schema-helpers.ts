import type { ColumnDefinitionBuilder, CreateTableBuilder } from 'kysely';
import type { DialectName } from '../database.ts';

/** Adds the surrogate `id` column: identity on PostgreSQL, autoincrement on SQLite. */
export function withId<T extends string>(
  table: CreateTableBuilder<T, never>,
  dialect: DialectName,
): CreateTableBuilder<T, 'id'> {
  return table.addColumn('id', 'integer', (c: ColumnDefinitionBuilder) =>
    dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
  );
}

/** Adds the provenance columns every imported record carries. */
export function withProvenance<T extends string, C extends string>(
  table: CreateTableBuilder<T, C>,
): CreateTableBuilder<T, C | 'source_document_id' | 'line_start' | 'line_end'> {
  return table
    .addColumn('source_document_id', 'integer', (c) =>
      c.references('source_documents.id').onDelete('set null'),
    )
    .addColumn('line_start', 'integer')
    .addColumn('line_end', 'integer');
}
