/**
 * Where an API key shows up where it must not: smithd's log, an error message, a CLI's output. A
 * key is searched whole and by its secret part (what follows the prefix `keys list` shows), so a
 * truncated or re-wrapped key is found too.
 */

/** The secret part of a `dsk_` key: everything after the 12 characters smithd stores in clear. */
function secretPart(key: string): string {
  return key.slice(12);
}

/** `name: key…` for every output that contains a key or the secret part of one. */
export function findLeaks(outputs: Record<string, string>, keys: Iterable<string>): string[] {
  const needles = [...new Set(keys)].filter((key) => secretPart(key).length >= 8);
  const leaks: string[] = [];
  for (const [name, text] of Object.entries(outputs)) {
    for (const key of needles) {
      if (text.includes(key) || text.includes(secretPart(key))) leaks.push(`${name}: ${key.slice(0, 12)}…`);
    }
  }
  return leaks;
}

/** Collects the keys a test made and every output it saw, to search them at the end. */
export class Witness {
  readonly keys = new Set<string>();
  readonly outputs: Record<string, string> = {};

  key(key: string): string {
    this.keys.add(key);
    return key;
  }

  /** Keeps a CLI's output (or a response body) for the final search, under `what` (e.g. `forge`). */
  saw(what: string, text: string): void {
    this.outputs[what] = `${this.outputs[what] ?? ''}${text}\n`;
  }

  leaks(extra: Record<string, string> = {}): string[] {
    return findLeaks({ ...this.outputs, ...extra }, this.keys);
  }
}
