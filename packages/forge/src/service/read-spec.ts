/**
 * Reads a service spec file: bounded YAML parsing, then the TypeBox schema and the rules across
 * fields, every problem reported with the file, line and field it is about.
 */
import { readFile } from 'node:fs/promises';
import { DeploySmithError, type ErrorDetail } from '@deploysmith/core';
import { PARSE_OPTIONS } from '@deploysmith/gitops';
import Value from 'typebox/value';
import { type Document, isNode, LineCounter, parseDocument } from 'yaml';
import { ServiceSpec } from './spec.ts';

export async function readServiceSpec(file: string): Promise<ServiceSpec> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new DeploySmithError(
      'invalid_input',
      `Cannot read the service spec ${file}: ${(error as Error).message}`,
      {
        hint: 'Give the path of a service spec YAML file, e.g. forge build service.yaml -o manifests.',
      },
    );
  }
  return parseServiceSpec(text, file);
}

export function parseServiceSpec(text: string, file: string): ServiceSpec {
  const lines = new LineCounter();
  const doc = parseDocument(text, { ...PARSE_OPTIONS, lineCounter: lines });
  if (doc.errors.length > 0) {
    throw invalidSpec(
      file,
      doc.errors.map((error) => ({
        file,
        line: error.linePos?.[0]?.line,
        message: error.message.split('\n')[0] ?? error.message,
      })),
    );
  }
  const value: unknown = doc.toJS({ maxAliasCount: PARSE_OPTIONS.maxAliasCount });
  const details: ErrorDetail[] = [];
  if (!Value.Check(ServiceSpec, value)) {
    for (const error of Value.Errors(ServiceSpec, value)) {
      // additionalProperties reports each unknown key twice (once as "schema is false").
      if (error.keyword === 'boolean') continue;
      const path = error.instancePath.split('/').slice(1).map(unescapePointer);
      const params = error.params as { additionalProperties?: string[]; requiredProperties?: string[] };
      if (error.keyword === 'additionalProperties' && params.additionalProperties) {
        for (const key of params.additionalProperties) {
          details.push(detail(file, doc, lines, [...path, key], `unknown field "${key}"`));
        }
      } else if (error.keyword === 'required' && params.requiredProperties) {
        details.push(
          detail(
            file,
            doc,
            lines,
            path,
            `missing required field(s): ${params.requiredProperties.join(', ')}`,
          ),
        );
      } else {
        details.push(detail(file, doc, lines, path, error.message));
      }
    }
    throw invalidSpec(
      file,
      details.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
    );
  }
  const spec = value as ServiceSpec;
  if (spec.autoscaling) {
    if (spec.autoscaling.minReplicas > spec.autoscaling.maxReplicas) {
      details.push(
        detail(file, doc, lines, ['autoscaling', 'minReplicas'], 'must not be more than maxReplicas'),
      );
    }
    if (spec.resources?.cpu === undefined) {
      details.push(
        detail(
          file,
          doc,
          lines,
          ['autoscaling'],
          'autoscaling on CPU needs resources.cpu (the utilisation is relative to it)',
        ),
      );
    }
  }
  if (spec.ingress && spec.host === undefined) {
    details.push(detail(file, doc, lines, ['ingress'], 'ingress options need host'));
  }
  if (details.length > 0) throw invalidSpec(file, details);
  return spec;
}

function detail(
  file: string,
  doc: Document,
  lines: LineCounter,
  path: string[],
  message: string,
): ErrorDetail {
  const field = path.join('.') || undefined;
  return { file, line: lineOf(doc, lines, path), ...(field === undefined ? {} : { field }), message };
}

/** Line of the deepest node on `path` that exists (a missing field points at its parent). */
function lineOf(doc: Document, lines: LineCounter, path: string[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) {
      // For a key, point at the key: the pair's value node starts after it.
      const keyNode = depth > 0 ? findKey(doc, path.slice(0, depth)) : undefined;
      const offset = keyNode?.range?.[0] ?? node.range[0];
      return lines.linePos(offset).line;
    }
  }
  return undefined;
}

function findKey(doc: Document, path: string[]): { range?: [number, number, number] | null } | undefined {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const items = (parent as { items?: Array<{ key?: unknown }> } | null)?.items;
  const name = path[path.length - 1];
  const pair = items?.find(
    (item) => isNode(item.key) && String((item.key as { value?: unknown }).value) === name,
  );
  return isNode(pair?.key) ? (pair.key as { range?: [number, number, number] | null }) : undefined;
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function invalidSpec(file: string, details: ErrorDetail[]): DeploySmithError {
  return new DeploySmithError('invalid_input', `The service spec ${file} is not valid.`, {
    hint: 'Fix the fields named below; `forge build --print-schema` prints the JSON schema of the spec.',
    details,
  });
}
