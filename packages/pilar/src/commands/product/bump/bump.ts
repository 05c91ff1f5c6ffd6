import { planProductBump } from '../../../operations/product-bump.ts';
import { openRepo } from '../../../repo/smud-repo.ts';
import { applyAndReport } from '../../run-edit.ts';
import type { ProductBumpOptions } from './index.ts';

export async function productBump(product: string, options: ProductBumpOptions): Promise<void> {
  const repo = await openRepo(options.repo);
  const plan = await planProductBump(repo, {
    product,
    stage: options.stage,
    chartVersion: options.chartVersion,
  });
  await applyAndReport(repo, plan, options);
}
