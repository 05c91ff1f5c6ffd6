/** Which version runs in which environment of an app: one query, whatever the number of versions. */
import type { Kysely } from 'kysely';
import { currentDeployments } from '../db/deployments.ts';
import type { Schema } from '../db/schema.ts';

export async function deployedToOf(db: Kysely<Schema>, app: string): Promise<Map<string, string[]>> {
  const byVersion = new Map<string, string[]>();
  for (const row of await currentDeployments(db, app)) {
    const environments = byVersion.get(row.version) ?? [];
    environments.push(row.environment);
    environments.sort();
    byVersion.set(row.version, environments);
  }
  return byVersion;
}
