import { createOutput, type Output, print, printDiagnostic, printJson, step } from '@deploysmith/cli-kit';
import { DeploySmithError } from '@deploysmith/core';
import type { CollectedMetadata } from '../../metadata/collect-metadata.ts';
import { metadataOverrides } from '../../metadata/overrides.ts';
import { resolveConnection } from '../../publish/connection.ts';
import { type PublishResult, publishVersion } from '../../publish/publish-version.ts';
import { failureSummaryMarkdown, formatPublishResult, publishSummaryMarkdown } from '../../publish/report.ts';
import { writeStepSummary } from '../../publish/step-summary.ts';
import type { PublishOptions } from './options.ts';

export async function runPublish(
  dir: string,
  options: PublishOptions,
  metadata?: Promise<CollectedMetadata>,
): Promise<void> {
  const output = createOutput({ json: options.json });
  let result: PublishResult;
  try {
    result = await publishVersion({
      app: options.app,
      dir,
      connection: resolveConnection(options),
      overrides: metadataOverrides(options),
      ...(metadata === undefined ? {} : { metadata }),
      validate: options.validate,
      step: (label, run) => step(output, label, run),
      notice: printDiagnostic,
      userAgent: 'forge/0.1.0',
    });
  } catch (error) {
    const body = error instanceof DeploySmithError ? error.toJSON().error : { message: String(error) };
    await writeStepSummary(failureSummaryMarkdown(options.app, body)).catch(() => undefined);
    throw error;
  }
  report(result, output);
  await writeStepSummary(publishSummaryMarkdown(result));
}

function report(result: PublishResult, output: Output): void {
  if (output.json) printJson(result);
  else for (const line of formatPublishResult(result, output.color)) print(line);
  for (const deployment of result.deployments) {
    if (deployment.status !== 'failed') continue;
    const message = `The auto-deploy of ${deployment.version} to ${deployment.environment} failed: ${deployment.error ?? 'no reason given'}`;
    // The version itself is published, so the exit code stays 0; the failed deploy must still show.
    if (output.githubActions) process.stderr.write(`::warning title=auto-deploy failed::${message}\n`);
    else printDiagnostic(`warning: ${message}`);
  }
}
