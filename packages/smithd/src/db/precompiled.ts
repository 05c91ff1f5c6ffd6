/**
 * Queries on every request's path (the API key, the app) are built and compiled by Kysely once and
 * then run with new parameter values; building a query costs more than SQLite takes to answer it.
 * On SQLite they run straight on the prepared statement when no transaction is open: Kysely's
 * promise and connection lock around them cost as much as the query itself. Their answers are kept
 * until the next commit to the database (`connect.ts`).
 */
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import { directReader } from './connect.ts';
import type { Schema } from './schema.ts';

export function precompiled<Row>(
  build: (db: Kysely<Schema>) => Compilable<Row>,
): (db: Kysely<Schema>, ...parameters: unknown[]) => Promise<Row[]> {
  // One dialect per process, so the first compilation serves every later call.
  let compiled: CompiledQuery<Row> | undefined;
  return async (db, ...parameters) => {
    compiled ??= build(db).compile();
    const rows = directReader(db)?.(compiled.sql, parameters);
    if (rows !== undefined) return rows as Row[];
    const result = await db.executeQuery<Row>({ ...compiled, parameters });
    return result.rows;
  };
}
