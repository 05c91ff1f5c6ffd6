/**
 * `environments/productGroups.yaml`: group → list of products. Membership is edited line by line
 * in the file's own indentation, so comments and the order of everything else stay.
 */
import { type Document, isMap, isScalar, isSeq, type Node, type Pair, type YAMLSeq } from 'yaml';
import {
  afterNode,
  columnOf,
  dashColumn,
  insertLines,
  lineStart,
  nextLineStart,
  plainOrQuoted,
} from '../yaml/lines.ts';
import { layoutError, parseYaml } from '../yaml/parse.ts';

export const PRODUCT_GROUPS_FILE = 'environments/productGroups.yaml';

export type ProductGroups = Map<string, string[]>;

export function readProductGroups(doc: Document, file: string = PRODUCT_GROUPS_FILE): ProductGroups {
  const groups: ProductGroups = new Map();
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return groups;
  if (!isMap(doc.contents)) throw layoutError(file, 'is not a mapping of group → products');
  for (const pair of doc.contents.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (name === undefined) throw layoutError(file, 'has a group whose name is not a plain string');
    const value = pair.value as Node | null;
    if (value === null || (isScalar(value) && value.value === null)) {
      groups.set(name, []);
      continue;
    }
    if (!isSeq(value)) throw layoutError(file, `group "${name}" is not a list of products`);
    groups.set(
      name,
      value.items.map((item, index) => {
        if (!isScalar(item) || item.value === null || typeof item.value === 'object') {
          throw layoutError(file, `group "${name}" item ${index + 1} is not a product name`);
        }
        return String(item.value);
      }),
    );
  }
  return groups;
}

function groupPair(doc: Document, group: string): Pair<Node, Node | null> | undefined {
  if (!isMap(doc.contents)) return undefined;
  return doc.contents.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === group) as
    | Pair<Node, Node | null>
    | undefined;
}

/** How far list items sit right of their group name in this file (2 unless the file says otherwise). */
function seqOffset(text: string, doc: Document): number {
  if (!isMap(doc.contents)) return 2;
  for (const pair of doc.contents.items) {
    const value = pair.value as Node | null;
    if (isSeq(value) && !value.flow && value.items.length > 0) {
      return dashColumn(text, value.items[0] as Node) - columnOf(text, (pair.key as Node).range?.[0] ?? 0);
    }
  }
  return 2;
}

/** Adds the product at the end of the group's list; a missing group is added at the end of the file. */
export function addToGroup(text: string, file: string, group: string, product: string): string {
  const doc = parseYaml(text, file);
  const groups = readProductGroups(doc, file);
  if (groups.get(group)?.includes(product)) return text;
  const offset = seqOffset(text, doc);
  const pair = groupPair(doc, group);
  if (pair === undefined) {
    // Top-level entries separated by blank lines keep that habit.
    const spaced = /\n\n[^\s#]/.test(text) ? '\n' : '';
    const base = text.length === 0 || text.endsWith('\n') ? text : `${text}\n`;
    return `${base}${base.length > 0 ? spaced : ''}${plainOrQuoted(group)}:\n${' '.repeat(offset)}- ${plainOrQuoted(product)}\n`;
  }
  const seq = pair.value as YAMLSeq | null;
  if (isSeq(seq) && !seq.flow && seq.items.length > 0) {
    const last = seq.items[seq.items.length - 1] as Node;
    return insertLines(text, [
      {
        offset: afterNode(text, last),
        text: `${' '.repeat(dashColumn(text, last))}- ${plainOrQuoted(product)}\n`,
      },
    ]);
  }
  if (isSeq(seq) && seq.items.length > 0) {
    throw layoutError(
      file,
      `group "${group}" is a flow list`,
      'Write it as a block list ("- product" lines) so pilar can edit it.',
    );
  }
  // "group:" or "group: []": the list starts on the next line.
  const keyStart = pair.key.range?.[0] ?? 0;
  const keyColumn = columnOf(text, keyStart);
  const lineEnd = nextLineStart(text, keyStart);
  const keyLine = text
    .slice(lineStart(text, keyStart), lineEnd)
    .replace(/:\s*(\[\s*\])?\s*(#.*)?\n?$/, (_all, _empty, comment?: string) =>
      comment ? `: ${comment}` : ':',
    );
  return `${text.slice(0, lineStart(text, keyStart))}${keyLine}\n${' '.repeat(keyColumn + offset)}- ${plainOrQuoted(product)}\n${text.slice(lineEnd)}`;
}

/** Removes the product's line from the group; an emptied group stays, as `group: []`. */
export function removeFromGroup(text: string, file: string, group: string, product: string): string {
  const doc = parseYaml(text, file);
  readProductGroups(doc, file);
  const pair = groupPair(doc, group);
  const seq = pair?.value;
  if (pair === undefined || !isSeq(seq)) return text;
  const item = seq.items.find((node) => isScalar(node) && String(node.value) === product) as Node | undefined;
  if (item === undefined) return text;
  if (seq.flow)
    throw layoutError(
      file,
      `group "${group}" is a flow list`,
      'Write it as a block list ("- product" lines) so pilar can edit it.',
    );
  const start = lineStart(text, item.range?.[0] ?? 0);
  const end = afterNode(text, item);
  const without = `${text.slice(0, start)}${text.slice(end)}`;
  if (seq.items.length > 1) return without;
  const keyEnd = pair.key.range?.[1] ?? 0;
  const colon = without.indexOf(':', keyEnd);
  return `${without.slice(0, colon + 1)} []${without.slice(colon + 1)}`;
}
