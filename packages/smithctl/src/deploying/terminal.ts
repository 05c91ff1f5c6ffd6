/** The CLI's side of a deploy: it shows the move on stderr, asks on a terminal, prints the outcome. */
import { confirm, type Output, print, printDiagnostic, printJson } from '@deploysmith/cli-kit';
import { formatDeployResult } from '../render/deployment.ts';
import { formatPlan } from '../render/plan.ts';
import type { DeployHooks, DeployOutcome } from './plan-and-apply.ts';

export function terminalHooks(output: Output, yes: boolean): DeployHooks {
  return {
    confirm: (question) => confirm(output, question, { yes }),
    onPlan: (plan, summary) => {
      if (output.json) return;
      printDiagnostic(plan.kind === 'rollback' ? output.color.yellow(summary) : summary);
    },
  };
}

/** A dry run prints its plan (the DryRunResponse with --json); a deploy its result (the DeployResponse). */
export function printOutcome(outcome: DeployOutcome, output: Output): void {
  if (output.json) printJson(outcome.applied ? outcome.result : outcome.plan);
  else print(outcome.applied ? formatDeployResult(outcome.result, output) : formatPlan(outcome.plan, output));
}
