/**
 * Names that end up in paths (GitOps folders, storage keys) and URLs. They are validated once, at
 * the edge, with these rules; inside, a name of these types is trusted to be safe in a path.
 */
import Type from 'typebox';
import { DeploySmithError } from './errors.ts';

/** DNS-1123 label: what Kubernetes accepts as a name and what is safe as a folder. */
const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
/** Letters, digits, `.`, `_`, `-`; starts with a letter or digit and has no `..` anywhere. */
const VERSION_ID = '^(?!.*[.][.])[A-Za-z0-9][A-Za-z0-9._-]*$';
const KEY_NAME = '^[A-Za-z0-9][A-Za-z0-9._@-]*$';

export const AppName = Type.String({ pattern: DNS_LABEL, minLength: 1, maxLength: 63 });
export const EnvironmentName = Type.String({ pattern: DNS_LABEL, minLength: 1, maxLength: 63 });
export const RepoName = Type.String({ pattern: DNS_LABEL, minLength: 1, maxLength: 63 });
export const VersionId = Type.String({ pattern: VERSION_ID, minLength: 1, maxLength: 128 });
export const KeyName = Type.String({ pattern: KEY_NAME, minLength: 1, maxLength: 64 });

const dnsLabel = new RegExp(DNS_LABEL);
const versionId = new RegExp(VERSION_ID);
const keyName = new RegExp(KEY_NAME);

function dnsLabelProblem(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > 63) return 'must be at most 63 characters';
  if (!dnsLabel.test(value)) {
    return 'must be lower-case letters, digits and "-", starting and ending with a letter or digit';
  }
  return undefined;
}

/** Why `value` is not a valid version id, or undefined when it is. */
export function versionIdProblem(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > 128) return 'must be at most 128 characters';
  if (value.includes('..')) return 'must not contain ".."';
  if (!versionId.test(value)) {
    return 'must be letters, digits, ".", "_" and "-", starting with a letter or digit';
  }
  return undefined;
}

function check(
  kind: string,
  value: unknown,
  problem: (v: string) => string | undefined,
  hint: string,
): string {
  const reason = typeof value === 'string' ? problem(value) : 'must be a string';
  if (reason !== undefined) {
    throw new DeploySmithError('invalid_input', `Invalid ${kind} ${JSON.stringify(value)}: ${reason}.`, {
      hint,
    });
  }
  return value as string;
}

export function assertAppName(value: unknown): string {
  return check('app name', value, dnsLabelProblem, 'Use a DNS-1123 label such as "hello-world".');
}

export function assertEnvironmentName(value: unknown): string {
  return check('environment name', value, dnsLabelProblem, 'Use a DNS-1123 label such as "staging".');
}

export function assertRepoName(value: unknown): string {
  return check('repository name', value, dnsLabelProblem, 'Use a DNS-1123 label such as "gitops".');
}

export function assertVersionId(value: unknown): string {
  return check('version id', value, versionIdProblem, 'Use an id such as "42540c4-123" or "1.4.0".');
}

export function assertKeyName(value: unknown): string {
  return check(
    'key name',
    value,
    (v) => (v.length <= 64 && keyName.test(v) ? undefined : 'must be letters, digits, ".", "_", "@", "-"'),
    'Use a name such as "ci" or "alice".',
  );
}
