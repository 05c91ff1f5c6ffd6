/**
 * `pilar feature rollback`: put back an earlier digest, the one given with --to or the one the
 * file held before the current one (from git history). The digest is checked to exist in the
 * registry before anything is written, unless the caller opts out (an offline or air-gapped repo).
 */
import { DeploySmithError } from '@deploysmith/core';
import { parseImageRef } from '@deploysmith/registry';
import { ChangeSet } from '../changes/change-set.ts';
import { commitMessage, shortImage } from '../changes/commit-message.ts';
import { previousImage } from '../history/previous-image.ts';
import { paths, requireStage, resolveFeatureProduct, type SmudRepo } from '../repo/smud-repo.ts';
import { readValuesText } from '../smud/values-file.ts';
import { addValuesEdit, type ImageResolver } from './feature-bump.ts';
import type { Plan } from './plan.ts';

export interface FeatureRollbackInput {
  feature: string;
  stage: string;
  /** A digest (`sha256:…`, same repository) or a whole reference. */
  to?: string;
  /** Ask the registry whether the digest exists (default true). */
  verify?: boolean;
}

export async function planFeatureRollback(
  repo: SmudRepo,
  registry: ImageResolver,
  input: FeatureRollbackInput,
): Promise<Plan> {
  const product = await resolveFeatureProduct(repo, input.feature);
  const file = paths.values(product, input.stage);
  const current = readValuesText(await requireStage(repo, product, input.stage, file), file).image;
  if (current === undefined || current === '')
    throw new DeploySmithError('invalid_input', `${file} has no image to roll back`);

  let target: string;
  let fromCommit: string | undefined;
  if (input.to !== undefined) {
    target = /^sha(256|512):/.test(input.to) ? `${parseImageRef(current).name}@${input.to}` : input.to;
  } else {
    const previous = await previousImage(repo, file, current);
    target = previous.image;
    fromCommit = previous.commit;
  }
  if (!/@sha(256|512):/.test(target)) {
    throw new DeploySmithError('invalid_input', `A rollback goes to a digest, and ${target} is a tag`, {
      hint: 'Pass --to sha256:… (see `git log -p` of the values file for earlier digests).',
    });
  }
  // Without verification the reference is still parsed: only a well-formed pinned image is written.
  const parsed = parseImageRef(target);
  const image =
    input.verify === false ? `${parsed.name}@${parsed.digest}` : (await registry.resolve(target)).pinned;
  const changes = new ChangeSet();
  await addValuesEdit(repo, changes, product, input.stage, { image });
  return {
    command: 'feature rollback',
    changes,
    message: commitMessage(
      `${product} (${input.stage}): roll back image ${shortImage(current)} -> ${shortImage(image)}`,
      changes.fields(),
      'feature rollback',
    ),
    summary: {
      product,
      stage: input.stage,
      from: current,
      to: image,
      verified: input.verify !== false,
      ...(fromCommit === undefined ? {} : { replacedIn: fromCommit }),
    },
  };
}
