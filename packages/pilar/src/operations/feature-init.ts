/**
 * `pilar feature init`: the one-time setup of a feature registration product: product.yaml,
 * app.yaml and values.yaml per stage (image pinned by digest), and its product group.
 */
import { DeploySmithError } from '@deploysmith/core';
import { ChangeSet } from '../changes/change-set.ts';
import { commitMessage } from '../changes/commit-message.ts';
import { checkProductName, paths, productExists, type SmudRepo } from '../repo/smud-repo.ts';
import { appYaml, productYaml, valuesYaml } from '../smud/scaffold.ts';
import type { Dependency } from '../smud/values-file.ts';
import type { ImageResolver } from './feature-bump.ts';
import { addGroupMembership } from './group.ts';
import type { Plan } from './plan.ts';
import { checkVersion } from './requirements.ts';

export interface FeatureInitInput {
  feature: string;
  team: string;
  group: string;
  image: string;
  stages?: string[];
  requires?: Dependency[];
  chartVersion?: string;
}

export async function planFeatureInit(
  repo: SmudRepo,
  registry: ImageResolver,
  input: FeatureInitInput,
): Promise<Plan> {
  const { featurePrefix } = repo.config;
  const product = input.feature.startsWith(featurePrefix)
    ? input.feature
    : `${featurePrefix}${input.feature}`;
  checkProductName(product, 'feature');
  checkProductName(input.team, 'team');
  const stages = input.stages ?? repo.config.stages;
  if (stages.length === 0) throw new DeploySmithError('invalid_input', '--stages names no stage');
  for (const stage of stages) checkProductName(stage, 'stage');
  const chartVersion = input.chartVersion ?? repo.config.chartVersion;
  checkVersion(chartVersion, 'chart version');
  if (await productExists(repo, product)) {
    throw new DeploySmithError('conflict', `products/${product}/ already exists`, {
      hint: `Release a new version with \`pilar feature bump ${product} --stage STAGE --image REF\`.`,
    });
  }
  const resolving = registry.resolve(input.image);
  resolving.catch(() => undefined);
  const changes = new ChangeSet();
  await addGroupMembership(repo, changes, { group: input.group, product });
  const resolved = await resolving;

  const featureId = `feature-${product.slice(featurePrefix.length) || product}`;
  changes.write(paths.product(product), undefined, productYaml(product, input.team, repo.config.sharedChart));
  for (const stage of stages) {
    changes.write(paths.app(product, stage), undefined, appYaml(chartVersion));
    changes.write(
      paths.values(product, stage),
      undefined,
      valuesYaml(featureId, resolved.pinned, input.requires ?? []),
    );
    changes.note({ file: paths.values(product, stage), field: 'valuesFile.image', to: resolved.pinned });
  }
  return {
    command: 'feature init',
    changes,
    message: commitMessage(
      `${product}: new feature product in group ${input.group} (${stages.join(', ')})`,
      changes.fields(),
      'feature init',
    ),
    summary: { product, featureId, group: input.group, stages, image: resolved.pinned },
  };
}
