/** `pilar group add|rm`: a product's membership in a product group of productGroups.yaml. */
import { DeploySmithError } from '@deploysmith/core';
import { ChangeSet } from '../changes/change-set.ts';
import { commitMessage } from '../changes/commit-message.ts';
import { checkProductName, paths, readRepoFile, requireProduct, type SmudRepo } from '../repo/smud-repo.ts';
import { addToGroup, readProductGroups, removeFromGroup } from '../smud/product-groups.ts';
import { parseYaml } from '../yaml/parse.ts';
import type { Plan } from './plan.ts';

export interface GroupInput {
  group: string;
  product: string;
}

/** Adds the membership to `changes`; refuses a product that already belongs to another group. */
export async function addGroupMembership(
  repo: SmudRepo,
  changes: ChangeSet,
  input: GroupInput,
): Promise<void> {
  checkProductName(input.group, 'group');
  const file = paths.productGroups;
  const before = changes.current(file) ?? (await readRepoFile(repo, file));
  const text = before ?? '';
  const groups = readProductGroups(parseYaml(text, file), file);
  const others = [...groups]
    .filter(([name, products]) => name !== input.group && products.includes(input.product))
    .map(([name]) => name);
  if (others.length > 0) {
    throw new DeploySmithError(
      'conflict',
      `${input.product} is already in group ${others.join(', ')}; a product belongs in one group`,
      {
        hint: `Move it with \`pilar group rm ${others[0]} ${input.product}\` first (SMUD expands groups independently; one product in two groups gets conflicting stage expectations).`,
      },
    );
  }
  changes.write(file, before, addToGroup(text, file, input.group, input.product));
  if (!groups.get(input.group)?.includes(input.product)) {
    changes.note({ file, field: `${input.group}[]`, to: input.product });
  }
}

export async function planGroupAdd(repo: SmudRepo, input: GroupInput): Promise<Plan> {
  await requireProduct(repo, input.product);
  const changes = new ChangeSet();
  await addGroupMembership(repo, changes, input);
  return {
    command: 'group add',
    changes,
    message: commitMessage(
      `productGroups: add ${input.product} to ${input.group}`,
      changes.fields(),
      'group add',
    ),
    summary: { group: input.group, product: input.product, added: !changes.isEmpty },
  };
}

export async function planGroupRemove(repo: SmudRepo, input: GroupInput): Promise<Plan> {
  checkProductName(input.group, 'group');
  checkProductName(input.product);
  const file = paths.productGroups;
  const before = await readRepoFile(repo, file);
  if (before === undefined) throw new DeploySmithError('not_found', `${file} does not exist`);
  const groups = readProductGroups(parseYaml(before, file), file);
  const members = groups.get(input.group);
  if (members === undefined) {
    throw new DeploySmithError('not_found', `No group "${input.group}" in ${file}`, {
      hint: `Groups: ${[...groups.keys()].join(', ') || '(none)'}.`,
    });
  }
  if (!members.includes(input.product)) {
    throw new DeploySmithError('not_found', `${input.product} is not in group ${input.group}`, {
      hint: `Members of ${input.group}: ${members.join(', ') || '(none)'}.`,
    });
  }
  const changes = new ChangeSet();
  changes.write(file, before, removeFromGroup(before, file, input.group, input.product));
  changes.note({ file, field: `${input.group}[]`, from: input.product });
  return {
    command: 'group rm',
    changes,
    message: commitMessage(
      `productGroups: remove ${input.product} from ${input.group}`,
      changes.fields(),
      'group rm',
    ),
    summary: { group: input.group, product: input.product, removed: true },
  };
}
