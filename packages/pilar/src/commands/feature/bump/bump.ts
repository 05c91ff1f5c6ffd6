import { planFeatureBump } from '../../../operations/feature-bump.ts';
import { parseChartPin, parseRequirement } from '../../../operations/requirements.ts';
import { openRepo } from '../../../repo/smud-repo.ts';
import { registryClient } from '../../registry-client.ts';
import { applyAndReport } from '../../run-edit.ts';
import type { FeatureBumpOptions } from './index.ts';

export async function featureBump(feature: string, options: FeatureBumpOptions): Promise<void> {
  const requires = (options.requires ?? []).map(parseRequirement);
  const charts = (options.chart ?? []).map(parseChartPin);
  const repo = await openRepo(options.repo);
  const registry = await registryClient(options, repo);
  try {
    const plan = await planFeatureBump(repo, registry, {
      feature,
      stage: options.stage,
      image: options.image,
      requires,
      charts,
    });
    await applyAndReport(repo, plan, options);
  } finally {
    await registry.close();
  }
}
