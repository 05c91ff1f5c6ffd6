/** `smithctl policy set|list|rm`. */
import { print, printJson } from '@deploysmith/cli-kit';
import { assertAppName, assertEnvironmentName, DeploySmithError } from '@deploysmith/core';
import { withSession } from '../../connection/connect.ts';
import type { CommandOptions } from '../../connection/options.ts';
import { describePolicy } from '../../render/cells.ts';
import { formatPolicies } from '../../render/policies.ts';

export interface PolicyOptions extends CommandOptions {
  env: string;
  branch?: string;
  tag?: string;
}

export async function setPolicy(app: string, options: PolicyOptions): Promise<void> {
  assertAppName(app);
  assertEnvironmentName(options.env);
  if (options.branch === undefined && options.tag === undefined) {
    throw new DeploySmithError('invalid_input', 'A policy needs --branch GLOB, --tag GLOB or both.', {
      hint: `E.g. \`smithctl policy set ${app} --env ${options.env} --branch main\`.`,
    });
  }
  await withSession(options, async ({ client, output }) => {
    const policy = await client.putPolicy(app, options.env, {
      branch: options.branch ?? null,
      tag: options.tag ?? null,
    });
    if (output.json) printJson(policy);
    else print(`${app} now auto-deploys to ${policy.environment} the versions of ${describePolicy(policy)}.`);
  });
}

export async function listPolicies(app: string, options: CommandOptions): Promise<void> {
  assertAppName(app);
  await withSession(options, async ({ client, output }) => {
    const list = await client.listPolicies(app);
    if (output.json) printJson(list);
    else if (list.items.length === 0) print(`${app} has no auto-deploy policies.`);
    else print(formatPolicies(list.items, output));
  });
}

export async function removePolicy(app: string, options: PolicyOptions): Promise<void> {
  assertAppName(app);
  assertEnvironmentName(options.env);
  await withSession(options, async ({ client, output }) => {
    await client.deletePolicy(app, options.env);
    if (output.json) printJson({ app, environment: options.env, removed: true });
    else print(`${app} no longer auto-deploys to ${options.env}.`);
  });
}
