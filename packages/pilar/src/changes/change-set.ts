/**
 * Everything one pilar run changes, computed in memory before a byte is written: the new content
 * of each file, and the field-level changes to report and to name in the commit message.
 */

export interface FileChange {
  /** Path relative to the repo root. */
  file: string;
  /** Content before the run; undefined for a file the run creates. */
  before: string | undefined;
  after: string;
}

export interface FieldChange {
  file: string;
  /** e.g. `valuesFile.image`, `helm.chartVersion`, `dependencies[patientlistservice].minVersion`. */
  field: string;
  from?: string;
  to?: string;
}

export class ChangeSet {
  readonly #files = new Map<string, FileChange>();
  readonly #fields: FieldChange[] = [];

  /** Records the new content of a file; the first `before` seen for a file is kept. */
  write(file: string, before: string | undefined, after: string): void {
    const existing = this.#files.get(file);
    this.#files.set(file, { file, before: existing === undefined ? before : existing.before, after });
  }

  /** The content of a file as this run has left it so far, if the run touched it. */
  current(file: string): string | undefined {
    return this.#files.get(file)?.after;
  }

  note(change: FieldChange): void {
    if (change.from !== change.to) this.#fields.push(change);
  }

  /** Files whose content actually changes, in a stable order. */
  files(): FileChange[] {
    return [...this.#files.values()]
      .filter((f) => f.before !== f.after)
      .sort((a, b) => a.file.localeCompare(b.file));
  }

  fields(): FieldChange[] {
    return [...this.#fields];
  }

  get isEmpty(): boolean {
    return this.files().length === 0;
  }
}
