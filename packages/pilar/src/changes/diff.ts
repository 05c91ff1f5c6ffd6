/** Unified diffs of a change set, as `--dry-run` prints them (git's a/ b/ path style). */
import { createTwoFilesPatch } from 'diff';
import type { FileChange } from './change-set.ts';

export function unifiedDiff(files: FileChange[]): string {
  return files
    .map((change) => {
      const patch = createTwoFilesPatch(
        change.before === undefined ? '/dev/null' : `a/${change.file}`,
        `b/${change.file}`,
        change.before ?? '',
        change.after,
        '',
        '',
        { context: 3 },
      );
      // Drop the separator line the library puts first; git diffs have none.
      return patch.replace(/^=+\n/, '').replace(/^(---|\+\+\+) (\S+)\t?$/gm, '$1 $2');
    })
    .join('');
}
