/**
 * `kustomization.yaml` files edited in place: a resource is added at its sorted place or removed,
 * and every other byte of the file (comments, their spacing, other keys, quoting, blank lines, line
 * endings) stays as it was. The YAML Document finds the list and its items; the edit itself is a
 * splice of the source text at those positions, so a diff shows only the line that changed.
 */
import { type Document, isMap, isScalar, isSeq, type Node, type YAMLSeq } from 'yaml';
import { parseYamlDocument, stringifyYamlDocument, YamlFileError } from './yaml-document.ts';

/** The names kustomize looks for, in its own order; a folder must hold at most one. */
export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

/** `./hello/` and `hello` name the same resource. */
export function normalizeResource(entry: string): string {
  let value = entry.trim();
  while (value.startsWith('./')) value = value.slice(2);
  while (value.length > 1 && value.endsWith('/')) value = value.slice(0, -1);
  return value;
}

/** Byte order on normalized names, so the list sorts the same everywhere (no locale). */
export function compareResources(a: string, b: string): number {
  const x = normalizeResource(a);
  const y = normalizeResource(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The text of a new kustomization listing `resources` (sorted), with an optional leading comment. */
export function newKustomizationText(resources: string[], comment?: string): string {
  const header = comment === undefined ? '' : `${comment.replace(/^/gm, '# ')}\n`;
  const sorted = [...resources].sort(compareResources);
  const list = sorted.length === 0 ? ' []\n' : `\n${sorted.map((r) => `  - ${r}\n`).join('')}`;
  return `${header}apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:${list}`;
}

/** The `resources:` entries of a kustomization Document, as written. */
export function kustomizationResources(doc: Document, file: string): string[] {
  const seq = resourcesNode(doc, file);
  if (seq === undefined) return [];
  return seq.items.map((item, index) => {
    if (!isScalar(item) || typeof item.value !== 'string') {
      throw new YamlFileError(file, `resources[${index}] must be a string`);
    }
    return item.value;
  });
}

export interface KustomizationEdit {
  text: string;
  changed: boolean;
  /** The `resources:` entries after the edit, as written. */
  resources: string[];
  /** The file as parsed (before the edit): its other keys are what the edit left alone. */
  doc: Document;
}

/**
 * Lists `entry` under `resources:` before the first entry that sorts after it, so a sorted list
 * stays sorted and a hand-ordered one is left alone. Unchanged when it is listed already.
 */
export function addKustomizationResource(
  text: string,
  entry: string,
  file: string,
  parsed?: Document,
): KustomizationEdit {
  const doc = parsed ?? parseYamlDocument(text, file);
  const wanted = normalizeResource(entry);
  const current = kustomizationResources(doc, file);
  if (current.some((value) => normalizeResource(value) === wanted))
    return { text, changed: false, resources: current, doc };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const seq = resourcesNode(doc, file);
  const at = current.findIndex((value) => compareResources(value, wanted) > 0);
  const resources =
    at === -1 ? [...current, wanted] : [...current.slice(0, at), wanted, ...current.slice(at)];
  const done = (result: string): KustomizationEdit => ({ text: result, changed: true, resources, doc });

  if (seq === undefined) {
    const node = isMap(doc.contents) ? doc.contents.get('resources', true) : undefined;
    if (node !== undefined && isScalar(node) && node.range) {
      // `resources:` with nothing after it.
      return done(splice(text, lineEnd(text, node.range[1]), `${eol}  - ${wanted}`));
    }
    const base = text === '' || text.endsWith('\n') ? text : `${text}${eol}`;
    return done(`${base}resources:${eol}  - ${wanted}${eol}`);
  }

  if (seq.flow) {
    if (seq.items.length === 0 && seq.range) {
      // `resources: []` becomes a block list, as a person would write it.
      let start = seq.range[0];
      while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start -= 1;
      const end = text.indexOf(']', seq.range[0]) + 1;
      return done(`${text.slice(0, start)}${eol}  - ${wanted}${text.slice(end)}`);
    }
    // A non-empty flow list: rare enough to re-serialise through (a copy of) the Document.
    const copy = doc.clone();
    const list = resourcesNode(copy, file) as YAMLSeq;
    list.flow = false;
    const item = copy.createNode(wanted);
    if (at === -1) list.items.push(item);
    else list.items.splice(at, 0, item);
    return done(stringifyYamlDocument(copy));
  }

  if (at === -1) {
    const last = seq.items[seq.items.length - 1] as Node;
    const lineOfLast = lineStart(text, rangeOf(last, file)[0]);
    const prefix = text.slice(lineOfLast, rangeOf(last, file)[0]);
    const after = lineEnd(text, rangeOf(last, file)[1]);
    const insertAt = after < text.length ? after + 1 : after;
    const lead = after < text.length ? '' : eol;
    return done(splice(text, insertAt, `${lead}${prefix}${wanted}${after < text.length ? eol : ''}`));
  }
  const next = seq.items[at] as Node;
  const lineOfNext = lineStart(text, rangeOf(next, file)[0]);
  const prefix = text.slice(lineOfNext, rangeOf(next, file)[0]);
  // Comments right above an entry belong to it: insert above them.
  let insertAt = lineOfNext;
  while (insertAt > 0) {
    const previous = lineStart(text, insertAt - 1);
    if (!text.slice(previous, insertAt).trim().startsWith('#')) break;
    insertAt = previous;
  }
  return done(splice(text, insertAt, `${prefix}${wanted}${eol}`));
}

/** Removes the lines of every entry naming `entry`; unchanged when none does. */
export function removeKustomizationResource(text: string, entry: string, file: string): KustomizationEdit {
  const doc = parseYamlDocument(text, file);
  const seq = resourcesNode(doc, file);
  const wanted = normalizeResource(entry);
  const resources = kustomizationResources(doc, file).filter((value) => normalizeResource(value) !== wanted);
  if (seq === undefined) return { text, changed: false, resources, doc };
  const doomed = seq.items.filter(
    (item) => isScalar(item) && normalizeResource(String(item.value)) === wanted,
  );
  if (doomed.length === 0) return { text, changed: false, resources, doc };
  if (seq.flow) {
    seq.items = seq.items.filter((item) => !doomed.includes(item));
    return { text: stringifyYamlDocument(doc), changed: true, resources, doc };
  }
  let result = text;
  for (const item of [...doomed].reverse()) {
    const [start, end] = rangeOf(item as Node, file);
    const from = lineStart(result, start);
    const to = lineEnd(result, end);
    result = result.slice(0, from) + result.slice(to < result.length ? to + 1 : to);
  }
  return { text: result, changed: true, resources, doc };
}

function resourcesNode(doc: Document, file: string): YAMLSeq | undefined {
  if (doc.contents === null) return undefined;
  if (!isMap(doc.contents)) throw new YamlFileError(file, 'a kustomization must be a mapping');
  const node = doc.contents.get('resources', true);
  if (node === undefined || (isScalar(node) && node.value === null)) return undefined;
  if (!isSeq(node)) throw new YamlFileError(file, '`resources` must be a list');
  return node;
}

function rangeOf(node: Node, file: string): [number, number] {
  if (!node.range) throw new YamlFileError(file, 'cannot locate a resources entry in the source');
  return [node.range[0], node.range[1]];
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

/** Index of the newline ending the line that holds `at` (or the text's length). */
function lineEnd(text: string, at: number): number {
  const end = text.indexOf('\n', at);
  return end === -1 ? text.length : end;
}

function splice(text: string, at: number, insert: string): string {
  return text.slice(0, at) + insert + text.slice(at);
}
