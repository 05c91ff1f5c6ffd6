/** `pilar product bump`: a product's chart version in one stage (a backend next to its feature). */
import { ChangeSet } from '../changes/change-set.ts';
import { commitMessage } from '../changes/commit-message.ts';
import { paths, requireProduct, requireStage, type SmudRepo } from '../repo/smud-repo.ts';
import { editChartVersion } from '../smud/app-file.ts';
import type { Plan } from './plan.ts';
import { checkVersion } from './requirements.ts';

export interface ProductBumpInput {
  product: string;
  stage: string;
  chartVersion: string;
}

/** Adds the chart bump to `changes` (so a feature bump can carry it) and returns the old version. */
export async function addChartBump(
  repo: SmudRepo,
  changes: ChangeSet,
  input: ProductBumpInput,
): Promise<string> {
  checkVersion(input.chartVersion, 'chart version');
  await requireProduct(repo, input.product);
  const file = paths.app(input.product, input.stage);
  const before = changes.current(file) ?? (await requireStage(repo, input.product, input.stage, file));
  const { text, previous } = editChartVersion(before, file, input.chartVersion);
  changes.write(file, before, text);
  changes.note({ file, field: 'helm.chartVersion', from: previous, to: input.chartVersion });
  return previous;
}

export async function planProductBump(repo: SmudRepo, input: ProductBumpInput): Promise<Plan> {
  const changes = new ChangeSet();
  const previous = await addChartBump(repo, changes, input);
  return {
    command: 'product bump',
    changes,
    message: commitMessage(
      `${input.product} (${input.stage}): chart ${previous} -> ${input.chartVersion}`,
      changes.fields(),
      'product bump',
    ),
    summary: { product: input.product, stage: input.stage, from: previous, to: input.chartVersion },
  };
}
