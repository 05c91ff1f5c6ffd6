/**
 * `pilar feature promote`: make a stage run what another stage runs: the pinned image, the
 * dependency minimum versions, and the shared chart version of the feature product.
 */
import { DeploySmithError } from '@deploysmith/core';
import { ChangeSet } from '../changes/change-set.ts';
import { commitMessage, shortImage } from '../changes/commit-message.ts';
import {
  paths,
  readRepoFile,
  requireStage,
  resolveFeatureProduct,
  type SmudRepo,
} from '../repo/smud-repo.ts';
import { editChartVersion, readChartVersion } from '../smud/app-file.ts';
import { readValuesText } from '../smud/values-file.ts';
import { parseYaml } from '../yaml/parse.ts';
import { addValuesEdit } from './feature-bump.ts';
import type { Plan } from './plan.ts';

export interface FeaturePromoteInput {
  feature: string;
  from: string;
  to: string;
}

const PINNED = /@sha(256|512):[a-f0-9]+$/;

export async function planFeaturePromote(repo: SmudRepo, input: FeaturePromoteInput): Promise<Plan> {
  if (input.from === input.to)
    throw new DeploySmithError('invalid_input', '--from and --to name the same stage');
  const product = await resolveFeatureProduct(repo, input.feature);
  const sourceFile = paths.values(product, input.from);
  const [sourceText] = await Promise.all([
    requireStage(repo, product, input.from, sourceFile),
    requireStage(repo, product, input.to, paths.values(product, input.to)),
  ]);
  const source = readValuesText(sourceText, sourceFile);
  if (source.image === undefined || source.image === '') {
    throw new DeploySmithError('invalid_input', `${sourceFile} has no image to promote`);
  }
  if (!PINNED.test(source.image) && repo.config.productionStages.includes(input.to)) {
    throw new DeploySmithError(
      'invalid_input',
      `${product} runs a mutable tag in ${input.from} (${source.image}); ${input.to} needs a digest`,
      {
        hint: `Pin it first: pilar feature bump ${product} --stage ${input.from} --image ${source.image}`,
      },
    );
  }
  const changes = new ChangeSet();
  const requires = source.dependencies.filter((d) => d.minVersion !== undefined);
  const { from } = await addValuesEdit(repo, changes, product, input.to, { image: source.image, requires });

  // The shared chart version travels with the feature, when both stages have an app.yaml.
  const sourceApp = await readRepoFile(repo, paths.app(product, input.from));
  const targetAppFile = paths.app(product, input.to);
  const targetApp = await readRepoFile(repo, targetAppFile);
  if (sourceApp !== undefined && targetApp !== undefined) {
    const version = readChartVersion(
      parseYaml(sourceApp, paths.app(product, input.from)),
      paths.app(product, input.from),
    );
    const edited = editChartVersion(targetApp, targetAppFile, version);
    changes.write(targetAppFile, targetApp, edited.text);
    changes.note({ file: targetAppFile, field: 'helm.chartVersion', from: edited.previous, to: version });
  }
  return {
    command: 'feature promote',
    changes,
    message: commitMessage(
      `${product}: promote ${shortImage(source.image)} from ${input.from} to ${input.to} (was ${shortImage(from)})`,
      changes.fields(),
      'feature promote',
    ),
    summary: { product, from: input.from, to: input.to, image: source.image, previous: from ?? null },
  };
}
