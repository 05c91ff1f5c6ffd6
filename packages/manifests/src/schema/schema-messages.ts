/**
 * ajv errors from the kubernetes-models validators, turned into one readable sentence per field.
 * `oneOf` fields (int-or-string, quantities) yield one error per alternative; they are joined with
 * "or" rather than listed as contradictions.
 */
import type { SchemaError } from './schema-module.ts';

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  const text = JSON.stringify(value);
  return `the ${typeof value} ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}

const ARTICLE_AN = /^[aeiou]/;
const TYPE_NAMES: Record<string, string> = { object: 'mapping', array: 'list' };

function typeName(type: unknown): string {
  const name = TYPE_NAMES[String(type)] ?? String(type);
  return `${ARTICLE_AN.test(name) ? 'an' : 'a'} ${name}`;
}

const FORMAT_NAMES: Record<string, string> = {
  quantity: 'quantity such as "500m" or "1Gi"',
  'int-or-string': 'number or a string',
  'date-time': 'date and time such as "2024-05-01T12:00:00Z"',
  byte: 'base64 string',
};

/** What a value must be, according to one ajv error (e.g. "an integer"). */
function expectation(error: SchemaError): string | undefined {
  const params = error.params;
  switch (error.keyword) {
    case 'type':
      return typeName(params.type);
    case 'format':
      return `a ${FORMAT_NAMES[String(params.format)] ?? `valid ${String(params.format)}`}`;
    case 'enum':
      return `one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return JSON.stringify(params.allowedValue);
    case 'pattern':
      return `a string matching ${String(params.pattern)}`;
    case 'minimum':
    case 'exclusiveMinimum':
      return `${params.comparison} ${params.limit}`.replace('>=', 'at least').replace('>', 'more than');
    case 'maximum':
    case 'exclusiveMaximum':
      return `${params.comparison} ${params.limit}`.replace('<=', 'at most').replace('<', 'less than');
    case 'minLength':
      return `at least ${params.limit} characters long`;
    case 'maxLength':
      return `at most ${params.limit} characters long`;
    case 'minItems':
      return `a list of at least ${params.limit} items`;
    case 'maxItems':
      return `a list of at most ${params.limit} items`;
    case 'uniqueItems':
      return 'a list without duplicate items';
    default:
      return undefined;
  }
}

/** One sentence for the errors ajv reported at one path; `value` is what the document holds there. */
export function schemaMessage(errors: SchemaError[], value: unknown): string {
  const alternatives = errors.some((error) => error.keyword === 'oneOf' || error.keyword === 'anyOf');
  const expected = [...new Set(errors.map(expectation).filter((text): text is string => text !== undefined))];
  if (expected.length === 0) {
    const keywords = [...new Set(errors.map((error) => error.keyword))].join(', ');
    return `is not valid here (${describeValue(value)} fails the schema's ${keywords} rule)`;
  }
  return `must be ${expected.join(alternatives ? ' or ' : ' and ')}, not ${describeValue(value)}`;
}
