/** `smithd keys create | list | revoke`: straight on the database, so they work while smithd runs. */
import { createOutput, formatTable, print, printJson } from '@deploysmith/cli-kit';
import { createApiKey, revokeApiKey } from '../../auth/manage.ts';
import type { ConfigFlags } from '../../config/layers.ts';
import { loadConfig } from '../../config/resolve.ts';
import { openMigratedDatabase } from '../../context.ts';
import type { Database } from '../../db/connect.ts';
import { listKeys, toApiKeyInfo } from '../../db/keys.ts';

type Flags = ConfigFlags & { json?: boolean };

async function withDatabase<T>(flags: Flags, work: (database: Database) => Promise<T>): Promise<T> {
  const database = await openMigratedDatabase(loadConfig({ flags }));
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

export async function createKeyCommand(flags: Flags & { name: string }): Promise<void> {
  const { key, row } = await withDatabase(flags, (database) => createApiKey(database, flags.name));
  if (flags.json) {
    printJson({ key, ...toApiKeyInfo(row) });
    return;
  }
  print(key);
  process.stderr.write(
    `Created API key ${row.name} (id ${row.id}). It is shown only this once: store it now.\n`,
  );
}

export async function listKeysCommand(flags: Flags): Promise<void> {
  const rows = await withDatabase(flags, (database) => listKeys(database.db));
  const items = rows.map(toApiKeyInfo);
  if (flags.json) {
    printJson({ items });
    return;
  }
  if (items.length === 0) {
    print('No API keys yet: smithd creates an admin key on its first start.');
    return;
  }
  const output = createOutput();
  print(
    formatTable(
      ['NAME', 'ID', 'PREFIX', 'CREATED', 'REVOKED'],
      items.map((key) => [key.name, key.id, `${key.prefix}…`, key.createdAt, key.revokedAt ?? '-']),
      output,
    ),
  );
}

export async function revokeKeyCommand(idOrName: string, flags: Flags): Promise<void> {
  const row = await withDatabase(flags, (database) => revokeApiKey(database, idOrName));
  if (flags.json) {
    printJson(toApiKeyInfo(row));
    return;
  }
  print(`Revoked API key ${row.name} (id ${row.id}).`);
}
