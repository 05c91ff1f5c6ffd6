/**
 * Every deploy smithctl makes, `deploy` and `rollback` alike: plan first (a dry run tells whether
 * it is a rollback and what it changes), confirm a rollback, then apply with one Idempotency-Key
 * for the whole invocation, so the client's retries after a timeout can never deploy twice.
 */
import { randomUUID } from 'node:crypto';
import type { SmithClient } from '@deploysmith/client';
import { type DeployResponse, DeploySmithError, type DryRunResponse } from '@deploysmith/core';
import { describeMove, formatPlanSummary, isNoop } from '../render/plan.ts';

export interface DeployInput {
  app: string;
  version: string;
  environment: string;
  /** Plan only: return the plan and change nothing. */
  dryRun: boolean;
  /** Set by `rollback`: refuse a move that is not back to an older version. */
  rollbackOnly?: boolean;
}

export interface DeployHooks {
  /** Resolves when the person agrees to a rollback; throws `confirmation_required` when not. */
  confirm(question: string): Promise<void>;
  /** Told the plan before it is applied (to show from → to before asking). */
  onPlan?(plan: DryRunResponse, summary: string): void;
}

export type DeployOutcome =
  | { applied: false; plan: DryRunResponse }
  | { applied: true; plan: DryRunResponse; result: DeployResponse };

export async function planAndApply(
  client: SmithClient,
  input: DeployInput,
  hooks: DeployHooks,
): Promise<DeployOutcome> {
  const request = { version: input.version, environment: input.environment };
  const plan = await client.deploy(input.app, { ...request, dryRun: true });
  // Refusals decided on smithd's answer count as smithd's (exit 2), like the ones it sends itself.
  if (input.rollbackOnly && plan.kind !== 'rollback' && !isNoop(plan)) {
    throw new DeploySmithError(
      'conflict',
      `${input.version} is not older than ${plan.previousVersion ?? 'nothing'}, which runs in ${input.environment}: that is not a rollback.`,
      {
        fromServer: true,
        hint: `To move ${input.environment} forward, run \`smithctl deploy ${input.app} ${input.version} --env ${input.environment}\`.`,
      },
    );
  }
  if (input.dryRun) return { applied: false, plan };

  const summary = `${describeMove(plan)} (${formatPlanSummary(plan)})`;
  if (!isNoop(plan)) hooks.onPlan?.(plan, summary);
  if (plan.kind === 'rollback' && !isNoop(plan)) {
    await hooks.confirm(
      `Roll back ${plan.app} in ${plan.environment} from ${plan.previousVersion ?? '-'} to ${plan.version}? It pins ${plan.environment} to ${plan.version}, pausing auto-deploy.`,
    );
  }
  const result = await client.deploy(input.app, request, { idempotencyKey: randomUUID() });
  if (result.deployment.status === 'failed') {
    throw new DeploySmithError(
      'gitops_rejected',
      `The deploy failed: ${result.deployment.error ?? 'no reason given'}.`,
      {
        fromServer: true,
        hint: `\`smithctl history ${input.app} --env ${input.environment}\` shows it; nothing was deployed.`,
      },
    );
  }
  return { applied: true, plan, result };
}
