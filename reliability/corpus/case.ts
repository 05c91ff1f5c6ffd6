/**
 * One hostile input: an optional legitimate preparation (a draft for the bundle about to be
 * uploaded), the attack itself, and what smithd or the CLI must answer. The runner checks the rest
 * the same way for every case: the server still answers, the database and every file outside the
 * data dir are as before.
 */
import type { SmithdHandle } from '../../packages/testkit/src/smithd.ts';
import type { Witness } from '../leaks.ts';

export type Family =
  | 'api'
  | 'http'
  | 'upload'
  | 'bundle'
  | 'manifests'
  | 'deploy-time'
  | 'forge'
  | 'smithctl';

export interface Outcome {
  /** HTTP status, for API and upload cases. */
  status?: number;
  /** Exit code, for CLI cases. */
  exitCode?: number;
  /** The error code smithd or the CLI gave. */
  code?: string;
  message?: string;
  /** Everything the server or CLI printed, for the key search and failure messages. */
  text: string;
}

export interface CorpusContext {
  smithd: SmithdHandle;
  /** The app every case aims at (registered, with version `1.0.0` published and deployed to staging). */
  app: string;
  published: string;
  /** Environment for the CLIs: server, key, HOME, TMPDIR inside the sandbox. */
  cliEnv: Record<string, string>;
  /** Working directory for the CLIs, inside the sandbox. */
  cwd: string;
  /** Where a case may write its inputs (manifest folders for forge); not watched. */
  scratch: string;
  witness: Witness;
  /** A fresh version id for a case that drafts. */
  nextVersion(): string;
  /** Absolute paths a tar-slip case aims at: none may exist afterwards. */
  escapeTargets: Set<string>;
}

export interface HostileCase {
  family: Family;
  name: string;
  /** What a careful client would have done first; not checked. Its result goes to `attack`. */
  prepare?(context: CorpusContext): Promise<unknown>;
  attack(context: CorpusContext, prepared: unknown): Promise<Outcome>;
  /** Acceptable statuses (HTTP) or exit codes (CLI), and the error code when there is a JSON error. */
  expect: { status?: number[]; exit?: number[]; code?: string | string[] };
  /** A deploy refused by its plan is kept in the history as failed: the one change allowed. */
  allowsFailedDeploy?: boolean;
  /**
   * A CLI that drafts and uploads on its way to a refused publish leaves that draft (smithd keeps a
   * refused draft a draft, as it does for the API cases' own drafts): the one change allowed.
   */
  allowsDraft?: boolean;
}
