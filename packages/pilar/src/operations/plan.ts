/** What every editing operation returns: the changes, the commit message, and a summary for output. */
import type { ChangeSet } from '../changes/change-set.ts';

export interface Plan {
  command: string;
  changes: ChangeSet;
  /** Commit message, used with --commit. */
  message: string;
  /** Facts for --json and for the lines printed after the change. */
  summary: Record<string, unknown>;
}
