/**
 * Statements prepared once per store, for the paths that run often on the thread that answers
 * evaluations (a token per request, a checkpoint every hundred decisions, the reads and writes of
 * a publish): drizzle's query builder, run per call, costs 10–20 times what the prepared statement
 * does, on code too rarely run for V8 to optimise.
 */
import { getTableColumns, sql, type Placeholder, type Table } from 'drizzle-orm';

/**
 * `prepare` run on first use, its statements kept: first use comes after the migrations have
 * shaped the tables, which preparing at construction would not wait for.
 */
export function preparedOnce<T>(prepare: () => T): () => T {
  let statements: T | undefined;
  return () => (statements ??= prepare());
}

/**
 * A placeholder named after each column of `table` but those in `omit` (a column the database
 * numbers itself), for an insert of whole rows: drizzle maps each value with its column (a
 * document to its JSON text) as it does for `values(row)`.
 */
export function placeholders<T extends Table, O extends keyof T['_']['columns'] = never>(
  table: T,
  omit: readonly O[] = [],
): Record<Exclude<keyof T['_']['columns'], O>, Placeholder> {
  const names = Object.keys(getTableColumns(table)).filter((name) => !omit.includes(name as O));
  return Object.fromEntries(names.map((name) => [name, sql.placeholder(name)])) as Record<
    Exclude<keyof T['_']['columns'], O>,
    Placeholder
  >;
}
