/**
 * Built-in kinds checked against the Kubernetes OpenAPI schemas that kubernetes-models compiles; each
 * kind's validator is imported the first time an object of that kind is seen.
 */
import type { ErrorDetail } from '@deploysmith/core';
import type { ManifestObject } from '../objects/manifest-object.ts';
import { groupOf } from '../objects/object-names.ts';
import { type FieldPath, formatFieldPath, pointerToPath } from '../parse/field-path.ts';
import type { ParsedDocument } from '../parse/parse-documents.ts';
import { trackFields } from './field-tracker.ts';
import { KUBERNETES_KINDS, UNREAD_PROPERTIES } from './kinds.ts';
import { schemaMessage } from './schema-messages.ts';
import type { SchemaError, SchemaModule } from './schema-module.ts';

const loaded = new Map<string, Promise<SchemaModule>>();
let builtInGroups: Map<string, string[]> | undefined;

/** Versions and kinds Kubernetes serves in `group`, or undefined when the group is not built in. */
function builtInKindsOf(group: string): string[] | undefined {
  if (builtInGroups === undefined) {
    builtInGroups = new Map();
    for (const key of Object.keys(KUBERNETES_KINDS)) {
      const keyGroup = groupOf(key.slice(0, key.indexOf(' ')));
      builtInGroups.set(keyGroup, [...(builtInGroups.get(keyGroup) ?? []), key]);
    }
  }
  return builtInGroups.get(group);
}

/** Whether `apiVersion` + `kind` is a Kubernetes built-in that has a schema. */
export function isBuiltInKind(apiVersion: string, kind: string): boolean {
  return Object.hasOwn(KUBERNETES_KINDS, `${apiVersion} ${kind}`);
}

function loadSchema(key: string): Promise<SchemaModule> | undefined {
  const load = KUBERNETES_KINDS[key];
  if (load === undefined) return undefined;
  let module = loaded.get(key);
  if (module === undefined) {
    module = load();
    loaded.set(key, module);
  }
  return module;
}

function valueAt(value: unknown, path: FieldPath): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/**
 * Problems of one object against its kind's schema: wrong types, missing required fields, values
 * out of range, unknown fields. Custom resources (kinds of groups Kubernetes does not serve) have none.
 */
export async function validateAgainstSchema(
  object: ManifestObject,
  doc: ParsedDocument,
  maxProblems: number,
): Promise<ErrorDetail[]> {
  const key = `${object.apiVersion} ${object.kind}`;
  const problem = (path: FieldPath, message: string): ErrorDetail => ({
    file: object.file,
    line: doc.lineOf(path),
    document: object.document,
    field: formatFieldPath(path),
    message: `${path.length === 0 ? 'the object' : formatFieldPath(path)} ${message}`,
  });
  const module = loadSchema(key);
  if (module === undefined) {
    const known = builtInKindsOf(groupOf(object.apiVersion));
    if (known === undefined) return [];
    const sameKind = known
      .filter((candidate) => candidate.endsWith(` ${object.kind}`))
      .map((k) => k.split(' ')[0]);
    const kinds = [...new Set(known.map((k) => k.split(' ')[1]))].join(', ');
    const [path, message] =
      sameKind.length > 0
        ? [
            ['apiVersion'],
            `apiVersion ${object.apiVersion} has no ${object.kind}; use apiVersion ${sameKind.join(' or ')}`,
          ]
        : [['kind'], `kind ${object.kind} is not served by ${object.apiVersion}, which has ${kinds}`];
    return [{ ...problem(path, ''), message }];
  }
  const { validate } = await module;
  const tracker = trackFields(doc.value);
  const valid = validate(tracker.watched);
  const errors: SchemaError[] = valid ? [] : [...(validate.errors ?? [])];

  // Lines are looked up last, and only for the problems reported: finding a key is linear in its mapping.
  const found: [FieldPath, string][] = [];
  const byPath = new Map<string, SchemaError[]>();
  for (const error of errors) {
    if (error.keyword === 'required') {
      const path = [...pointerToPath(error.instancePath, doc.value), String(error.params.missingProperty)];
      found.push([path, 'is required']);
      continue;
    }
    byPath.set(error.instancePath, [...(byPath.get(error.instancePath) ?? []), error]);
  }
  for (const [pointer, pathErrors] of byPath) {
    const path = pointerToPath(pointer, doc.value);
    found.push([path, schemaMessage(pathErrors, valueAt(doc.value, path))]);
  }
  const unread = new Set(UNREAD_PROPERTIES[key] ?? []);
  for (const path of tracker.unknownFields()) {
    if (unread.has(String(path.at(-1)))) continue;
    if (found.length >= maxProblems) break;
    found.push([path, `is not a field of ${object.apiVersion} ${object.kind}`]);
  }
  return found.slice(0, maxProblems).map(([path, message]) => problem(path, message));
}
