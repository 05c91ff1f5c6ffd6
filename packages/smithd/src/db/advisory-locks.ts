/**
 * The PostgreSQL advisory locks smithd takes, as two-key locks in namespaces of their own (so they
 * never meet Kysely's migration lock, which uses the one-key form).
 */
import { sql } from 'kysely';

/** Every write transaction: one writer at a time across replicas, as SQLite's BEGIN IMMEDIATE gives. */
export const WRITES = 0x44530001;
/** One lock per GitOps repo, keyed by `hashtext(name)`, held while a deploy writes it. */
export const REPOS = 0x44530002;

export function writeLock() {
  return sql`select pg_advisory_xact_lock(${sql.lit(WRITES)}, 0)`;
}
