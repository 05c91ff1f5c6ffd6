import { planFeatureInit } from '../../../operations/feature-init.ts';
import { parseRequirement } from '../../../operations/requirements.ts';
import { openRepo } from '../../../repo/smud-repo.ts';
import { registryClient } from '../../registry-client.ts';
import { applyAndReport } from '../../run-edit.ts';
import type { FeatureInitOptions } from './index.ts';

export async function featureInit(feature: string, options: FeatureInitOptions): Promise<void> {
  const requires = (options.requires ?? []).map(parseRequirement);
  const stages = options.stages
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const repo = await openRepo(options.repo);
  const registry = await registryClient(options, repo);
  try {
    const plan = await planFeatureInit(repo, registry, {
      feature,
      team: options.team,
      group: options.group,
      image: options.image,
      requires,
      ...(stages === undefined ? {} : { stages }),
      ...(options.chartVersion === undefined ? {} : { chartVersion: options.chartVersion }),
    });
    await applyAndReport(repo, plan, options);
  } finally {
    await registry.close();
  }
}
