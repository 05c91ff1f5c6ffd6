/**
 * What command declarations share. Only commander and cli-kit's help helper are imported here:
 * this file is loaded for every run, `--help` included.
 */
import { type Command, InvalidArgumentError } from 'commander';
import type { CommandOptions } from '../connection/options.ts';

export function addJsonOption(command: Command): Command {
  return command.option('--json', "print the API's JSON for the result, alone on stdout");
}

/** A page size for list commands: what the API accepts (1 to 500). */
export function parseLimit(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new InvalidArgumentError('must be a whole number from 1 to 500.');
  }
  return limit;
}

/** Repeatable option: `--env a --env b`. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The options of this command together with the global ones (--server, --api-key, --context). */
export function optionsOf<T>(command: Command): T & CommandOptions {
  return command.optsWithGlobals<T & CommandOptions>();
}
