import type { ComponentChildren } from 'preact';

/**
 * A table that stacks into labelled cards on a phone (`class="stack"`: each cell shows its column's
 * label from `data-label`). Columns are data — a label and how a row fills the cell — so a page
 * states what it lists, and header and cells cannot drift apart.
 *
 *   <StackTable rows={plans} columns={[
 *     { label: '计划', cell: (p) => <a href={`/plans/${p.id}`}>{p.title}</a> },
 *     { label: '状态', cell: (p) => p.statusName },
 *   ]} />
 */
export interface Column<T> {
  label: string;
  cell: (row: T) => ComponentChildren;
}

export function StackTable<T>({
  rows,
  columns,
  caption,
  className = 'stack',
  rowId,
}: {
  rows: readonly T[];
  /** Columns to show; a falsy entry is left out (a column only some readers see). */
  columns: ReadonlyArray<Column<T> | false | null | undefined>;
  caption?: string;
  /** The table's classes (`stack` and any of the page's own). */
  className?: string;
  /** An `id` for each row, for links to it (`#item-4`). */
  rowId?: (row: T) => string;
}) {
  const shown = columns.filter((c): c is Column<T> => Boolean(c));
  return (
    <table class={className}>
      {caption ? <caption>{caption}</caption> : null}
      <thead>
        <tr>
          {shown.map((c) => (
            <th>{c.label}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr id={rowId?.(r)}>
            {shown.map((c) => (
              <td data-label={c.label}>{c.cell(r)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A table's column headings, in order (for tables whose rows are written out by the page). */
export function TableHead({ columns }: { columns: readonly string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c) => (
          <th scope="col">{c}</th>
        ))}
      </tr>
    </thead>
  );
}
