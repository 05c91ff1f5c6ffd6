/** Registering an app with its GitOps repo and environments; the same registration again is fine. */
import { DeploySmithError, type RegisterAppRequest } from '@deploysmith/core';
import type { Context } from '../context.ts';
import { type AppRow, appEnvironments, getApp, insertApp } from '../db/apps.ts';
import { writeTransaction } from '../db/transaction.ts';

export async function registerApp(
  context: Pick<Context, 'database' | 'repos'>,
  request: RegisterAppRequest,
): Promise<{ created: boolean; row: AppRow }> {
  const names = [...context.repos.keys()];
  let repo = request.repo;
  if (repo === undefined) {
    if (names.length !== 1) {
      throw new DeploySmithError(
        'invalid_input',
        `This smithd has ${names.length} GitOps repositories; say which one the app deploys to.`,
        {
          hint: `Set "repo" to one of: ${names.join(', ')}.`,
          details: [{ field: 'repo', message: 'required when more than one repository is configured' }],
        },
      );
    }
    repo = names[0] as string;
  }
  if (!context.repos.has(repo)) {
    throw new DeploySmithError('invalid_input', `No GitOps repository named ${repo} is configured.`, {
      hint: `Configured: ${names.join(', ')}.`,
      details: [{ field: 'repo', message: `unknown repository ${repo}` }],
    });
  }
  const chosen = repo;
  return writeTransaction(context.database, async (trx) => {
    const existing = await getApp(trx, request.name);
    if (existing) {
      const same =
        existing.repo === chosen &&
        JSON.stringify([...appEnvironments(existing)].sort()) ===
          JSON.stringify([...request.environments].sort());
      if (!same) {
        throw new DeploySmithError(
          'conflict',
          `App ${request.name} is already registered (repo ${existing.repo}, environments ${appEnvironments(existing).join(', ')}).`,
          {
            hint: 'An app keeps its repository and environments; register a new app name for another setup.',
          },
        );
      }
      return { created: false, row: existing };
    }
    const row: AppRow = {
      name: request.name,
      repo: chosen,
      environments: JSON.stringify(request.environments),
      created_at: new Date().toISOString(),
      revision: 0,
    };
    await insertApp(trx, row);
    return { created: true, row };
  });
}
