/**
 * A feature registration product's `values.yaml`:
 *   valuesFile: { enabled, featureId, image, dependencyManager: { enabled, dependencies: [{name, minVersion}] } }
 * Reading checks that shape; editing changes the image and dependency minimum versions in place.
 */
import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import {
  afterNode,
  columnOf,
  dashColumn,
  type Insertion,
  insertLines,
  lineStart,
  nextLineStart,
  quoted,
} from '../yaml/lines.ts';
import { layoutError, parseYaml } from '../yaml/parse.ts';
import { type ScalarChange, setScalars } from '../yaml/set-scalars.ts';

export interface Dependency {
  name: string;
  minVersion?: string;
}

export interface FeatureValues {
  featureId: string | undefined;
  image: string | undefined;
  dependencies: Dependency[];
}

export interface ValuesEdit {
  image?: string;
  /** Dependencies to require: the minVersion is set (the entry added when missing). */
  requires?: Dependency[];
}

function valuesFileMap(doc: Document, file: string): YAMLMap {
  const valuesFile = isMap(doc.contents) ? doc.contents.get('valuesFile', true) : undefined;
  if (!isMap(valuesFile))
    throw layoutError(
      file,
      'has no "valuesFile" mapping',
      'A feature values.yaml starts with "valuesFile:" (see `pilar feature init`).',
    );
  return valuesFile;
}

function stringAt(map: YAMLMap, key: string, file: string, where: string): string | undefined {
  const node = map.get(key, true);
  if (node === undefined || node === null) return undefined;
  if (!isScalar(node) || (node.value !== null && typeof node.value === 'object'))
    throw layoutError(file, `${where}.${key} is not a scalar`);
  return node.value === null ? undefined : String(node.value);
}

function dependencySeq(valuesFile: YAMLMap, file: string): YAMLSeq | undefined {
  const manager = valuesFile.get('dependencyManager', true);
  if (manager === undefined || manager === null || (isScalar(manager) && manager.value === null))
    return undefined;
  if (!isMap(manager)) throw layoutError(file, 'valuesFile.dependencyManager is not a mapping');
  const deps = manager.get('dependencies', true);
  if (deps === undefined || deps === null || (isScalar(deps) && deps.value === null)) return undefined;
  if (!isSeq(deps)) throw layoutError(file, 'valuesFile.dependencyManager.dependencies is not a list');
  return deps;
}

export function readValues(doc: Document, file: string): FeatureValues {
  const valuesFile = valuesFileMap(doc, file);
  const dependencies: Dependency[] = [];
  for (const [index, item] of (dependencySeq(valuesFile, file)?.items ?? []).entries()) {
    if (!isMap(item)) throw layoutError(file, `dependencyManager.dependencies[${index}] is not a mapping`);
    const where = `dependencies[${index}]`;
    const name = stringAt(item, 'name', file, where);
    if (name === undefined) throw layoutError(file, `dependencyManager.${where} has no name`);
    const minVersion = stringAt(item, 'minVersion', file, where);
    dependencies.push(minVersion === undefined ? { name } : { name, minVersion });
  }
  return {
    featureId: stringAt(valuesFile, 'featureId', file, 'valuesFile'),
    image: stringAt(valuesFile, 'image', file, 'valuesFile'),
    dependencies,
  };
}

export function readValuesText(text: string, file: string): FeatureValues {
  return readValues(parseYaml(text, file), file);
}

/** Applies the edit and returns the new text; everything the edit does not touch keeps its bytes. */
export function editValues(text: string, file: string, edit: ValuesEdit): string {
  const current = readValuesText(text, file);
  const scalars: ScalarChange[] = [];
  if (edit.image !== undefined) {
    if (current.image === undefined) throw layoutError(file, 'has no valuesFile.image to update');
    if (edit.image !== current.image) scalars.push({ path: ['valuesFile', 'image'], value: edit.image });
  }
  const pending: Dependency[] = [];
  for (const required of edit.requires ?? []) {
    const existing = current.dependencies.find((d) => d.name === required.name);
    if (existing?.minVersion !== undefined && required.minVersion !== undefined) {
      if (existing.minVersion !== required.minVersion) {
        scalars.push({
          path: [
            'valuesFile',
            'dependencyManager',
            'dependencies',
            { where: 'name', equals: required.name },
            'minVersion',
          ],
          value: required.minVersion,
        });
      }
    } else if (existing === undefined || required.minVersion !== undefined) {
      pending.push(required);
    }
  }
  const afterScalars = scalars.length === 0 ? text : setScalars(text, scalars);
  return pending.length === 0 ? afterScalars : addDependencies(afterScalars, file, pending);
}

type Quote = (value: string) => string;

const singleQuoted: Quote = (value) => `'${value.replaceAll("'", "''")}'`;

/** New minVersions are quoted the way the file's existing ones are (double quotes by default). */
function quoteStyle(seq: YAMLSeq | undefined): Quote {
  for (const item of seq?.items ?? []) {
    const version = isMap(item) ? item.get('minVersion', true) : undefined;
    if (isScalar(version) && version.type === 'QUOTE_SINGLE') return singleQuoted;
    if (isScalar(version)) return quoted;
  }
  return quoted;
}

function dependencyLines(
  dashIndent: number,
  keyIndent: number,
  dep: Dependency,
  quote: Quote = quoted,
): string {
  const pad = (n: number) => ' '.repeat(n);
  return `${pad(dashIndent)}- name: ${dep.name}\n${dep.minVersion === undefined ? '' : `${pad(keyIndent)}minVersion: ${quote(dep.minVersion)}\n`}`;
}

/** Adds entries (or the minVersion of an existing entry), creating dependencyManager when needed. */
function addDependencies(text: string, file: string, deps: Dependency[]): string {
  const doc = parseYaml(text, file);
  const valuesFile = valuesFileMap(doc, file);
  const seq = dependencySeq(valuesFile, file);
  const insertions: Insertion[] = [];
  const step = Math.max(2, keyColumn(text, valuesFile));

  if (seq !== undefined && seq.items.length > 0 && !seq.flow) {
    const last = seq.items[seq.items.length - 1] as Node;
    const dash = dashColumn(text, last);
    const key = columnOf(text, last.range?.[0] ?? 0);
    const quote = quoteStyle(seq);
    const missing: Dependency[] = [];
    for (const dep of deps) {
      const entry = seq.items.find((item) => isMap(item) && String(item.get('name')) === dep.name) as
        | YAMLMap
        | undefined;
      if (entry === undefined) {
        missing.push(dep);
        continue;
      }
      // The entry exists without a minVersion: add it under its name.
      const namePair = entry.items.find((pair) => isScalar(pair.key) && pair.key.value === 'name') as Pair<
        Node,
        Node
      >;
      insertions.push({
        offset: afterNode(text, namePair.value as Node),
        text: `${' '.repeat(columnOf(text, (namePair.key as Node).range?.[0] ?? 0))}minVersion: ${quote(dep.minVersion ?? '')}\n`,
      });
    }
    if (missing.length > 0) {
      insertions.push({
        offset: afterNode(text, seq),
        text: missing.map((dep) => dependencyLines(dash, key, dep, quote)).join(''),
      });
    }
    return insertLines(text, insertions);
  }

  const manager = valuesFile.get('dependencyManager', true);
  if (isMap(manager) && manager.items.length > 0) {
    // dependencyManager without a usable list: (re)write the "dependencies:" entry.
    const indent = keyColumn(text, manager);
    const block = `${' '.repeat(indent)}dependencies:\n${deps.map((dep) => dependencyLines(indent + step, indent + step + 2, dep)).join('')}`;
    const existing = manager.items.find((pair) => isScalar(pair.key) && pair.key.value === 'dependencies');
    if (existing !== undefined) {
      if (isSeq(existing.value) && existing.value.items.length > 0) {
        throw layoutError(
          file,
          'valuesFile.dependencyManager.dependencies is a flow list',
          'Write it as a block list ("- name: …" lines) so pilar can edit it.',
        );
      }
      const start = lineStart(text, (existing.key as Node).range?.[0] ?? 0);
      const end = nextLineStart(
        text,
        ((existing.value as Node | null)?.range?.[1] ?? (existing.key as Node).range?.[1] ?? start) - 1,
      );
      return `${text.slice(0, start)}${block}${text.slice(end)}`;
    }
    return insertLines(text, [{ offset: afterNode(text, manager), text: block }]);
  }
  if (manager !== undefined && manager !== null && !(isScalar(manager) && manager.value === null)) {
    throw layoutError(file, 'valuesFile.dependencyManager is not a mapping');
  }
  const indent = keyColumn(text, valuesFile);
  const pad = (n: number) => ' '.repeat(n);
  const block =
    `${pad(indent)}dependencyManager:\n${pad(indent + step)}enabled: true\n${pad(indent + step)}dependencies:\n` +
    deps.map((dep) => dependencyLines(indent + 2 * step, indent + 2 * step + 2, dep)).join('');
  if (manager !== undefined) {
    // "dependencyManager:" with nothing under it: replace that line.
    const pair = valuesFile.items.find((p) => isScalar(p.key) && p.key.value === 'dependencyManager') as Pair<
      Node,
      Node
    >;
    const start = lineStart(text, pair.key.range?.[0] ?? 0);
    return `${text.slice(0, start)}${block}${text.slice(nextLineStart(text, pair.key.range?.[0] ?? 0))}`;
  }
  return insertLines(text, [{ offset: afterNode(text, valuesFile), text: block }]);
}

/** The column of a block map's keys. */
function keyColumn(text: string, map: YAMLMap): number {
  const first = map.items[0]?.key as Node | undefined;
  return columnOf(text, first?.range?.[0] ?? 0);
}
