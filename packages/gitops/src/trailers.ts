/**
 * Commit messages with git trailers (`Key: value` lines in the last paragraph), written so that
 * `git interpret-trailers` and `git log --format=%(trailers)` read them back exactly.
 */

export type Trailers = ReadonlyArray<readonly [key: string, value: string]>;

const TRAILER_KEY = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

/** One line, no control characters: a trailer value can never start a new trailer or paragraph. */
export function trailerValue(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  return value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

/** `subject`, a blank line, optional body paragraphs, a blank line, then one `Key: value` per trailer. */
export function formatCommitMessage(subject: string, trailers: Trailers, body?: string): string {
  const parts = [trailerValue(subject)];
  if (body !== undefined && body.trim() !== '') parts.push(body.trim());
  if (trailers.length > 0) {
    parts.push(
      trailers
        .map(([key, value]) => {
          if (!TRAILER_KEY.test(key)) throw new Error(`Invalid trailer key ${JSON.stringify(key)}`);
          return `${key}: ${trailerValue(value)}`;
        })
        .join('\n'),
    );
  }
  return `${parts.join('\n\n')}\n`;
}

/**
 * Parses what `%(trailers:only,unfold)` prints (one `Key: value` per line) into a map; when a key
 * repeats, the last value wins. Keys keep their case.
 */
export function parseTrailerLines(text: string): Map<string, string> {
  const trailers = new Map<string, string>();
  for (const line of text.split('\n')) {
    const at = line.indexOf(':');
    if (at <= 0) continue;
    const key = line.slice(0, at).trim();
    if (!TRAILER_KEY.test(key)) continue;
    trailers.set(key, line.slice(at + 1).trim());
  }
  return trailers;
}
