/** `smithctl deploy APP VERSION --env ENV`. */
import { assertAppName, assertEnvironmentName, assertVersionId } from '@deploysmith/core';
import { withSession } from '../../connection/connect.ts';
import type { CommandOptions } from '../../connection/options.ts';
import { planAndApply } from '../../deploying/plan-and-apply.ts';
import { printOutcome, terminalHooks } from '../../deploying/terminal.ts';

export interface DeployOptions extends CommandOptions {
  env: string;
  dryRun?: boolean;
  yes?: boolean;
}

export async function deploy(app: string, version: string, options: DeployOptions): Promise<void> {
  assertAppName(app);
  assertVersionId(version);
  assertEnvironmentName(options.env);
  await withSession(options, async ({ client, output }) => {
    const outcome = await planAndApply(
      client,
      { app, version, environment: options.env, dryRun: options.dryRun === true },
      terminalHooks(output, options.yes === true),
    );
    printOutcome(outcome, output);
  });
}
