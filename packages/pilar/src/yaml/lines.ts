/**
 * Structure added as lines in the file's own indentation, at offsets taken from the parsed
 * Document's node ranges. Re-serialising the Document would re-indent sequences and move comments;
 * inserting lines leaves every other byte of the file as it was.
 */
import { type Node, parse } from 'yaml';

export interface Insertion {
  offset: number;
  text: string;
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset just past the newline ending the line that holds `offset` (or the end of text). */
export function nextLineStart(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline + 1;
}

export function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** Where a node's last line ends: new siblings go here. */
export function afterNode(text: string, node: Node): number {
  const [, valueEnd] = node.range ?? [0, 0, 0];
  if (valueEnd > 0 && text[valueEnd - 1] === '\n') return valueEnd;
  return nextLineStart(text, Math.max(0, valueEnd - 1));
}

/** The column of the `-` that introduces a block sequence item. */
export function dashColumn(text: string, item: Node): number {
  const start = item.range?.[0] ?? 0;
  const dash = text.lastIndexOf('-', start);
  return columnOf(text, dash);
}

/** Applies insertions (any order) to the text. A text without a final newline gets one first. */
export function insertLines(text: string, insertions: Insertion[]): string {
  let result = text;
  // From the end backwards, so earlier offsets stay valid; at one offset, the first given ends up first.
  const sorted = insertions
    .map((insertion, index) => ({ ...insertion, index }))
    .sort((a, b) => b.offset - a.offset || b.index - a.index);
  for (const { offset, text: lines } of sorted) {
    const needsNewline = offset === result.length && result.length > 0 && !result.endsWith('\n');
    result = `${result.slice(0, offset)}${needsNewline ? '\n' : ''}${lines}${result.slice(offset)}`;
  }
  return result;
}

/** Double-quoted YAML scalar (JSON strings are valid YAML double-quoted scalars). */
export function quoted(value: string): string {
  return JSON.stringify(value);
}

/** A plain scalar when it reads back as the same string, else double-quoted. */
export function plainOrQuoted(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(value)) return quoted(value);
  try {
    return parse(value) === value ? value : quoted(value);
  } catch {
    return quoted(value);
  }
}
