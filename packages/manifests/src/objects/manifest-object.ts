/**
 * The checks every Kubernetes object passes, built-in or custom: a mapping with `apiVersion`,
 * `kind` and a `metadata.name` the API server would accept.
 */
import type { ErrorDetail } from '@deploysmith/core';
import type { FieldPath } from '../parse/field-path.ts';
import { formatFieldPath } from '../parse/field-path.ts';
import type { ParsedDocument } from '../parse/parse-documents.ts';
import { dnsLabelProblem, groupOf, objectNameProblem } from './object-names.ts';

/** One Kubernetes object of a version: where it is, and who it is. */
export interface ManifestObject {
  file: string;
  /** 0-based index of the YAML document in the file. */
  document: number;
  /** 1-based line where the object starts. */
  line: number;
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string | undefined;
}

const API_VERSION = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[a-z0-9]+$/;
const KIND = /^[A-Za-z][A-Za-z0-9]*$/;

export function isPlainMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function quote(text: string): string {
  const json = JSON.stringify(text);
  return json.length > 80 ? `${json.slice(0, 77)}..."` : json;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `the ${typeof value} ${typeof value === 'string' ? quote(value) : String(value)}`;
}

/**
 * The object a document holds, after the basic checks; undefined (with the reasons added to
 * `problems`) when the document is not a usable object.
 */
export function identifyObject(
  file: string,
  doc: ParsedDocument,
  problems: ErrorDetail[],
): ManifestObject | undefined {
  const before = problems.length;
  const report = (path: FieldPath, message: string) =>
    problems.push({
      file,
      line: path.length === 0 ? doc.line : doc.lineOf(path),
      document: doc.index,
      ...(path.length === 0 ? {} : { field: formatFieldPath(path) }),
      message,
    });
  const value = doc.value;
  if (!isPlainMapping(value)) {
    report(
      [],
      `the document is ${describe(value)}, not a Kubernetes object (a mapping with apiVersion, kind and metadata)`,
    );
    return undefined;
  }
  const { apiVersion, kind, metadata } = value;
  if (typeof apiVersion !== 'string') {
    report(
      ['apiVersion'],
      apiVersion === undefined
        ? 'apiVersion is missing'
        : `apiVersion must be a string, not ${describe(apiVersion)}`,
    );
  } else if (!API_VERSION.test(apiVersion)) {
    report(['apiVersion'], `apiVersion ${quote(apiVersion)} is not of the form "version" or "group/version"`);
  }
  if (typeof kind !== 'string') {
    report(['kind'], kind === undefined ? 'kind is missing' : `kind must be a string, not ${describe(kind)}`);
  } else if (!KIND.test(kind)) {
    report(['kind'], `kind ${quote(kind)} must be letters and digits, starting with a letter`);
  } else if (/List$/.test(kind) && Array.isArray(value.items)) {
    report(
      ['kind'],
      `a ${kind} is not supported; put each object in its own YAML document (separated by "---")`,
    );
  }
  let name: string | undefined;
  let namespace: string | undefined;
  if (!isPlainMapping(metadata)) {
    report(
      ['metadata'],
      metadata === undefined
        ? 'metadata is missing'
        : `metadata must be a mapping, not ${describe(metadata)}`,
    );
  } else {
    if (metadata.name === undefined) {
      report(
        ['metadata', 'name'],
        metadata.generateName === undefined
          ? 'metadata.name is missing'
          : 'metadata.name is missing (generateName is not enough: GitOps needs a fixed name to update the object)',
      );
    } else if (typeof metadata.name !== 'string') {
      report(['metadata', 'name'], `metadata.name must be a string, not ${describe(metadata.name)}`);
    } else {
      name = metadata.name;
      const problem =
        typeof apiVersion === 'string' && typeof kind === 'string'
          ? objectNameProblem(groupOf(apiVersion), kind, name)
          : objectNameProblem('', '', name);
      if (problem !== undefined) report(['metadata', 'name'], `metadata.name ${quote(name)} ${problem}`);
    }
    if (metadata.namespace !== undefined && metadata.namespace !== null) {
      if (typeof metadata.namespace !== 'string') {
        report(
          ['metadata', 'namespace'],
          `metadata.namespace must be a string, not ${describe(metadata.namespace)}`,
        );
      } else {
        namespace = metadata.namespace;
        const problem = dnsLabelProblem(namespace);
        if (problem !== undefined)
          report(['metadata', 'namespace'], `metadata.namespace ${quote(namespace)} ${problem}`);
      }
    }
  }
  if (problems.length > before) return undefined;
  return {
    file,
    document: doc.index,
    line: doc.line,
    apiVersion: apiVersion as string,
    kind: kind as string,
    name: name as string,
    namespace,
  };
}
