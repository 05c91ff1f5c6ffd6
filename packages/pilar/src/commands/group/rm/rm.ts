import { planGroupRemove } from '../../../operations/group.ts';
import { openRepo } from '../../../repo/smud-repo.ts';
import type { EditOptions } from '../../options.ts';
import { applyAndReport } from '../../run-edit.ts';

export async function groupRemove(group: string, product: string, options: EditOptions): Promise<void> {
  const repo = await openRepo(options.repo);
  await applyAndReport(repo, await planGroupRemove(repo, { group, product }), options);
}
