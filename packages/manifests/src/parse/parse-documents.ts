/**
 * Text → YAML documents → plain values, bounded: duplicate keys, unknown tags, alias bombs and deep
 * nesting are problems of the file, reported with their line, never exceptions or hangs.
 */
import type { ErrorDetail } from '@deploysmith/core';
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node } from 'yaml';
import type { ManifestLimits } from '../limits.ts';
import { decodeManifestText } from './decode-text.ts';
import type { FieldPath } from './field-path.ts';
import { formatFieldPath } from './field-path.ts';
import { readYamlStream } from './read-yaml-stream.ts';

export interface ParsedDocument {
  /** 0-based index of the document in its file, counting empty ones, as `---` separates them. */
  index: number;
  /** 1-based line where the document's content starts. */
  line: number;
  value: unknown;
  /** 1-based line of a field (its key when it has one); the nearest existing parent when it is missing. */
  lineOf(path: FieldPath): number;
}

export interface ParsedFile {
  documents: ParsedDocument[];
  problems: ErrorDetail[];
}

export type ParseLimits = Pick<
  ManifestLimits,
  'maxFileBytes' | 'maxObjectBytes' | 'maxDocumentsPerFile' | 'maxAliasCount' | 'maxDepth'
>;

export function parseDocuments(path: string, content: Uint8Array, limits: ParseLimits): ParsedFile {
  const problems: ErrorDetail[] = [];
  const fail = (line: number, message: string, extra: Partial<ErrorDetail> = {}): ParsedFile => {
    problems.push({ file: path, line, ...extra, message });
    return { documents: [], problems };
  };
  if (content.byteLength > limits.maxFileBytes) {
    return fail(
      1,
      `the file is ${content.byteLength} bytes, more than the limit of ${limits.maxFileBytes} bytes per file`,
    );
  }
  const decoded = decodeManifestText(content);
  if (!('text' in decoded)) return fail(decoded.line, decoded.message);

  const lineCounter = new LineCounter();
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  const stream = readYamlStream(decoded.text, lineCounter, limits.maxDepth);
  if ('tooDeepAt' in stream) {
    return fail(
      lineAt(stream.tooDeepAt),
      `the file nests flow collections ([ ] or { }) more than ${limits.maxDepth} levels deep`,
    );
  }
  const yamlDocuments = stream.documents;
  for (const error of stream.streamErrors) {
    problems.push({ file: path, line: lineAt(error.offset), message: yamlMessage(error.message) });
  }
  if (yamlDocuments.length > limits.maxDocumentsPerFile) {
    return fail(
      1,
      `the file has ${yamlDocuments.length} YAML documents, more than the limit of ${limits.maxDocumentsPerFile}`,
    );
  }

  const documents: ParsedDocument[] = [];
  yamlDocuments.forEach((doc, index) => {
    const issues = [...doc.errors, ...doc.warnings];
    if (issues.length > 0) {
      for (const issue of issues) {
        problems.push({
          file: path,
          line: lineAt(issue.pos[0]),
          document: index,
          message: yamlMessage(issue.message),
        });
      }
      return;
    }
    const contents = doc.contents;
    if (contents === null || (isScalar(contents) && contents.value === null)) return; // `---` alone, or only comments
    const line = lineAt(contents.range[0]);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (error) {
      const message =
        error instanceof ReferenceError && /alias/i.test(error.message)
          ? `the document expands more than ${limits.maxAliasCount} aliases (an "alias bomb"); write the values out or use fewer aliases`
          : `the document cannot be read: ${(error as Error).message}`;
      problems.push({ file: path, line, document: index, message });
      return;
    }
    const lineOf = (fieldPath: FieldPath) => lineAt(locate(doc, contents, fieldPath));
    const tooDeep = findTooDeep(value, limits.maxDepth);
    if (tooDeep !== undefined) {
      problems.push({
        file: path,
        line: lineOf(tooDeep),
        document: index,
        field: formatFieldPath(tooDeep),
        message: `${formatFieldPath(tooDeep)} is nested more than ${limits.maxDepth} levels deep`,
      });
      return;
    }
    // Within the file limit, one object can still be more than Kubernetes stores: it would be published,
    // committed, and then never apply.
    const bytes = Buffer.byteLength(JSON.stringify(value));
    if (bytes > limits.maxObjectBytes) {
      problems.push({
        file: path,
        line,
        document: index,
        message: `the object is ${bytes} bytes as JSON, more than the limit of ${limits.maxObjectBytes} bytes per object (Kubernetes could not store it); keep large data out of manifests (in images, volumes or object storage)`,
      });
      return;
    }
    documents.push({ index, line, value, lineOf });
  });
  return { documents, problems };
}

function yamlMessage(message: string): string {
  const first = message.split('\n')[0] ?? message;
  if (/Maximum call stack size exceeded/.test(first)) return 'the document is nested too deeply to parse';
  return first.replace(/ at line \d+, column \d+:?$/, '');
}

/** Path of the first value nested deeper than `maxDepth`, walking iteratively so depth cannot overflow the stack. */
function findTooDeep(value: unknown, maxDepth: number): FieldPath | undefined {
  interface Entry {
    value: unknown;
    depth: number;
    parent: Entry | undefined;
    key: string | number;
  }
  const stack: Entry[] = [{ value, depth: 0, parent: undefined, key: '' }];
  while (stack.length > 0) {
    const entry = stack.pop() as Entry;
    if (entry.value === null || typeof entry.value !== 'object') continue;
    if (entry.depth >= maxDepth) {
      const path: (string | number)[] = [];
      for (let at: Entry | undefined = entry; at?.parent !== undefined; at = at.parent) path.unshift(at.key);
      return path;
    }
    const children = Array.isArray(entry.value) ? entry.value.entries() : Object.entries(entry.value);
    for (const [key, child] of children)
      stack.push({ value: child, depth: entry.depth + 1, parent: entry, key });
  }
  return undefined;
}

/** Offset of the key (or item) at `path`, or of the deepest node on the way there. */
function locate(doc: Document.Parsed, root: Node, path: FieldPath): number {
  let node: unknown = root;
  let offset = root.range?.[0] ?? 0;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (pair === undefined) break;
      const key = pair.key as Node;
      offset = key.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (item === undefined) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset;
}
