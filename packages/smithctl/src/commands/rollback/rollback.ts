/** `smithctl rollback APP --env ENV [--to VERSION]`. */
import type { SmithClient } from '@deploysmith/client';
import { assertAppName, assertEnvironmentName, assertVersionId, DeploySmithError } from '@deploysmith/core';
import { withSession } from '../../connection/connect.ts';
import type { CommandOptions } from '../../connection/options.ts';
import { planAndApply } from '../../deploying/plan-and-apply.ts';
import { printOutcome, terminalHooks } from '../../deploying/terminal.ts';

export interface RollbackOptions extends CommandOptions {
  env: string;
  to?: string;
  dryRun?: boolean;
  yes?: boolean;
}

/**
 * The version before the current deploy of the environment: where a rollback without --to goes.
 * Its refusals are decided on smithd's answer, so they count as smithd's (exit 2).
 */
export async function previousVersionOf(
  client: SmithClient,
  app: string,
  environment: string,
): Promise<string> {
  const status = (await client.getApp(app)).status.find((entry) => entry.environment === environment);
  if (status === undefined) {
    throw new DeploySmithError('not_found', `${app} has no environment "${environment}".`, {
      fromServer: true,
      hint: `\`smithctl status ${app}\` lists its environments.`,
    });
  }
  if (status.current === null) {
    throw new DeploySmithError(
      'conflict',
      `Nothing is deployed to ${environment} yet, so there is nothing to roll back.`,
      {
        fromServer: true,
        hint: `Deploy a version first: \`smithctl deploy ${app} VERSION --env ${environment}\`.`,
      },
    );
  }
  if (status.current.previousVersion === null) {
    throw new DeploySmithError(
      'conflict',
      `${status.current.version} is the first version deployed to ${environment}; there is none before it.`,
      { fromServer: true, hint: `Pick one with --to VERSION (\`smithctl versions ${app}\` lists them).` },
    );
  }
  return status.current.previousVersion;
}

export async function rollback(app: string, options: RollbackOptions): Promise<void> {
  assertAppName(app);
  assertEnvironmentName(options.env);
  if (options.to !== undefined) assertVersionId(options.to);
  await withSession(options, async ({ client, output }) => {
    const version = options.to ?? (await previousVersionOf(client, app, options.env));
    const outcome = await planAndApply(
      client,
      { app, version, environment: options.env, dryRun: options.dryRun === true, rollbackOnly: true },
      terminalHooks(output, options.yes === true),
    );
    printOutcome(outcome, output);
  });
}
