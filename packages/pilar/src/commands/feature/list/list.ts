import { createOutput, formatTable, print, printJson } from '@deploysmith/cli-kit';
import { listFeatures } from '../../../operations/feature-list.ts';
import { openRepo } from '../../../repo/smud-repo.ts';
import type { FeatureListOptions } from './index.ts';

export async function featureList(options: FeatureListOptions): Promise<void> {
  const output = createOutput({ json: options.json === true });
  const repo = await openRepo(options.repo);
  const list = await listFeatures(repo, options.stage === undefined ? {} : { stage: options.stage });
  if (output.json) {
    printJson(list);
    return;
  }
  if (list.features.length === 0) {
    print(`No feature products (products/${repo.config.featurePrefix}*) found.`);
    return;
  }
  const { color } = output;
  const rows = list.features.map((feature) => [
    feature.feature,
    ...list.stages.map((stage) => {
      const image = feature.stages[stage];
      if (image === undefined) return color.dim('-');
      return image.digest === null ? color.yellow(image.short) : image.short;
    }),
  ]);
  print(formatTable(['FEATURE', ...list.stages.map((s) => s.toUpperCase())], rows, output));
}
