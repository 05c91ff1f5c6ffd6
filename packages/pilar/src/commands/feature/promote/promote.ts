import { planFeaturePromote } from '../../../operations/feature-promote.ts';
import { openRepo } from '../../../repo/smud-repo.ts';
import { applyAndReport } from '../../run-edit.ts';
import type { FeaturePromoteOptions } from './index.ts';

export async function featurePromote(feature: string, options: FeaturePromoteOptions): Promise<void> {
  const repo = await openRepo(options.repo);
  const plan = await planFeaturePromote(repo, { feature, from: options.from, to: options.to });
  await applyAndReport(repo, plan, options);
}
