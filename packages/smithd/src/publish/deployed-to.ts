/**
 * Which version runs in which environment of an app: one indexed lookup per environment, whatever
 * the number of versions.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';

export async function deployedToOf(
  db: Kysely<Schema>,
  app: string,
  environments: string[],
): Promise<Map<string, string[]>> {
  const current = await Promise.all(
    environments.map(async (environment) => {
      const row = await db
        .selectFrom('deployments')
        .select('version')
        .where('app', '=', app)
        .where('status', '=', 'succeeded')
        .where('environment', '=', environment)
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      return [environment, row?.version] as const;
    }),
  );
  const byVersion = new Map<string, string[]>();
  for (const [environment, version] of [...current].sort(([a], [b]) => a.localeCompare(b))) {
    if (version === undefined) continue;
    byVersion.set(version, [...(byVersion.get(version) ?? []), environment]);
  }
  return byVersion;
}
