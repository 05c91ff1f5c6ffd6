/** Options every command gets: the connection overrides (global) and --json (per command). */
import type { ConnectionFlags } from '../config/resolve.ts';

export interface CommandOptions extends ConnectionFlags {
  json?: boolean;
}
