/**
 * YAML read and written with the Document API, so an edit keeps comments, key order, quoting and
 * blank lines; parsing is bounded (aliases, unique keys) because files may come from anywhere.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { type Document, parseDocument } from 'yaml';

export const PARSE_OPTIONS = { uniqueKeys: true, maxAliasCount: 100, prettyErrors: true } as const;

export class YamlFileError extends Error {
  override readonly name = 'YamlFileError';
  readonly file: string;
  readonly line: number | undefined;

  constructor(file: string, message: string, line?: number) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${message}`);
    this.file = file;
    this.line = line;
  }
}

/** Parses YAML text into a Document; the first error becomes a YamlFileError naming file and line. */
export function parseYamlDocument(text: string, file: string): Document {
  const doc = parseDocument(text, PARSE_OPTIONS);
  const [error] = doc.errors;
  if (error)
    throw new YamlFileError(file, error.message.split('\n')[0] ?? error.message, error.linePos?.[0]?.line);
  return doc;
}

export async function readYamlDocument(path: string): Promise<Document> {
  return parseYamlDocument(await readFile(path, 'utf8'), path);
}

/** Serialises a Document the way it was written; untouched nodes keep their source form. */
export function stringifyYamlDocument(doc: Document): string {
  return doc.toString({ lineWidth: 0 });
}

/** Writes a file atomically (temporary file, then rename), so readers never see half of it. */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}
