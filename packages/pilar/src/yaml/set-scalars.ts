/**
 * Replaces scalar values through the yaml CST: only the bytes of the replaced scalars change;
 * comments, quoting style, key order, indentation and blank lines around them stay as they were.
 */
import { CST, Parser, parse as parseValue } from 'yaml';

/** A step down a YAML tree: a map key, or the sequence item whose map has `key: equals`. */
export type PathStep = string | { where: string; equals: string };

export interface ScalarChange {
  path: PathStep[];
  value: string;
}

type CollectionItem = CST.CollectionItem;

function scalarText(token: CST.Token | undefined): string | undefined {
  if (token === undefined) return undefined;
  const scalar = CST.isScalar(token) ? CST.resolveAsScalar(token) : null;
  return scalar?.value;
}

function child(token: CST.Token | undefined, step: PathStep): CollectionItem | undefined {
  if (token === undefined) return undefined;
  if (typeof step === 'string') {
    if (token.type !== 'block-map' && token.type !== 'flow-collection') return undefined;
    return token.items.find((item) => scalarText(item.key ?? undefined) === step);
  }
  if (token.type !== 'block-seq' && token.type !== 'flow-collection') return undefined;
  return token.items.find((item) => {
    const entry = child(item.value, step.where);
    return entry !== undefined && scalarText(entry.value) === step.equals;
  });
}

/** The CST item at `path` in the first document, or undefined. */
function locate(tokens: CST.Token[], path: PathStep[]): CollectionItem | undefined {
  const document = tokens.find((token): token is CST.Document => token.type === 'document');
  let current: CST.Token | undefined = document?.value;
  let item: CollectionItem | undefined;
  for (const step of path) {
    item = child(current, step);
    if (item === undefined) return undefined;
    current = item.value;
  }
  return item;
}

/** Whether a plain scalar with this text would read back as something other than the string. */
function plainChangesType(value: string): boolean {
  try {
    return typeof parseValue(value) !== 'string';
  } catch {
    return true;
  }
}

/**
 * Sets each path's scalar to its value and returns the new text. Throws when a path does not lead
 * to a scalar: callers check the structure on the parsed Document first.
 */
export function setScalars(text: string, changes: ScalarChange[]): string {
  const tokens = [...new Parser().parse(text)];
  for (const { path, value } of changes) {
    const item = locate(tokens, path);
    const token = item?.value;
    if (token === undefined || !CST.isScalar(token)) {
      throw new Error(
        `no scalar at ${path.map((s) => (typeof s === 'string' ? s : `[${s.where}=${s.equals}]`)).join('.')}`,
      );
    }
    // A version like 4.13 written plain would come back as a number: quote it like the seed does.
    const keepsType = token.type !== 'scalar' || !plainChangesType(value);
    CST.setScalarValue(token, value, keepsType ? {} : { type: 'QUOTE_DOUBLE' });
  }
  return tokens.map((token) => CST.stringify(token)).join('');
}
