/**
 * Queries on every request's path (the API key, the app) are built and compiled by Kysely once and
 * then run with new parameter values; building a query costs more than SQLite takes to answer it.
 */
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Schema } from './schema.ts';

export function precompiled<Row>(
  build: (db: Kysely<Schema>) => Compilable<Row>,
): (db: Kysely<Schema>, ...parameters: unknown[]) => Promise<Row[]> {
  // One dialect per process, so the first compilation serves every later call.
  let compiled: CompiledQuery<Row> | undefined;
  return async (db, ...parameters) => {
    compiled ??= build(db).compile();
    const result = await db.executeQuery<Row>({ ...compiled, parameters });
    return result.rows;
  };
}
