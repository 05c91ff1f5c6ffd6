/**
 * `pilar feature bump`: resolve the image to a digest and pin it in the feature's values.yaml for
 * one stage; optionally raise dependency minimum versions and backend chart versions in the same run.
 */
import type { ResolvedRef } from '@deploysmith/registry';
import { ChangeSet } from '../changes/change-set.ts';
import { commitMessage, shortImage } from '../changes/commit-message.ts';
import { paths, requireStage, resolveFeatureProduct, type SmudRepo } from '../repo/smud-repo.ts';
import { type Dependency, editValues, readValuesText } from '../smud/values-file.ts';
import type { Plan } from './plan.ts';
import { addChartBump } from './product-bump.ts';

export interface ImageResolver {
  resolve(ref: string): Promise<ResolvedRef>;
}

export interface FeatureBumpInput {
  feature: string;
  stage: string;
  image: string;
  requires?: Dependency[];
  charts?: { product: string; version: string }[];
}

/** Records the values.yaml edit in `changes`; returns the image before and after. */
export async function addValuesEdit(
  repo: SmudRepo,
  changes: ChangeSet,
  product: string,
  stage: string,
  edit: { image?: string; requires?: Dependency[] },
): Promise<{ from: string | undefined; to: string | undefined }> {
  const file = paths.values(product, stage);
  const before = changes.current(file) ?? (await requireStage(repo, product, stage, file));
  const current = readValuesText(before, file);
  const after = editValues(before, file, edit);
  changes.write(file, before, after);
  if (edit.image !== undefined)
    changes.note({ file, field: 'valuesFile.image', from: current.image, to: edit.image });
  for (const dep of edit.requires ?? []) {
    const existing = current.dependencies.find((d) => d.name === dep.name);
    if (existing === undefined)
      changes.note({ file, field: `dependencies[${dep.name}]`, to: dep.minVersion ?? 'any version' });
    else if (dep.minVersion !== undefined) {
      changes.note({
        file,
        field: `dependencies[${dep.name}].minVersion`,
        from: existing.minVersion,
        to: dep.minVersion,
      });
    }
  }
  return { from: current.image, to: edit.image ?? current.image };
}

export async function planFeatureBump(
  repo: SmudRepo,
  registry: ImageResolver,
  input: FeatureBumpInput,
): Promise<Plan> {
  // The registry round trip and the file reads overlap.
  const resolving = registry.resolve(input.image);
  resolving.catch(() => undefined);
  const product = await resolveFeatureProduct(repo, input.feature);
  const changes = new ChangeSet();
  const file = paths.values(product, input.stage);
  await requireStage(repo, product, input.stage, file);
  const resolved = await resolving;
  const { from } = await addValuesEdit(repo, changes, product, input.stage, {
    image: resolved.pinned,
    ...(input.requires === undefined ? {} : { requires: input.requires }),
  });
  for (const chart of input.charts ?? []) {
    await addChartBump(repo, changes, {
      product: chart.product,
      stage: input.stage,
      chartVersion: chart.version,
    });
  }
  const subject =
    from === resolved.pinned
      ? `${product} (${input.stage}): image stays ${shortImage(resolved.pinned)}`
      : `${product} (${input.stage}): image ${shortImage(from)} -> ${shortImage(resolved.pinned)}`;
  return {
    command: 'feature bump',
    changes,
    message: commitMessage(subject, changes.fields(), 'feature bump'),
    summary: {
      product,
      stage: input.stage,
      from: from ?? null,
      to: resolved.pinned,
      digest: resolved.digest,
      mediaType: resolved.mediaType,
    },
  };
}
