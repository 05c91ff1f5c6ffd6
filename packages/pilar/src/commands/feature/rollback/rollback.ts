import { planFeatureRollback } from '../../../operations/feature-rollback.ts';
import { openRepo } from '../../../repo/smud-repo.ts';
import { registryClient } from '../../registry-client.ts';
import { applyAndReport } from '../../run-edit.ts';
import type { FeatureRollbackOptions } from './index.ts';

export async function featureRollback(feature: string, options: FeatureRollbackOptions): Promise<void> {
  const repo = await openRepo(options.repo);
  const registry = await registryClient(options, repo);
  try {
    const plan = await planFeatureRollback(repo, registry, {
      feature,
      stage: options.stage,
      verify: options.verify,
      ...(options.to === undefined ? {} : { to: options.to }),
    });
    await applyAndReport(repo, plan, options);
  } finally {
    await registry.close();
  }
}
