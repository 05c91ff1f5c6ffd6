/**
 * The name rules the Kubernetes API server applies (apimachinery's `validation` package), so a
 * name that would be refused at apply time is refused at publish time instead.
 */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function dnsLabelProblem(value: string): string | undefined {
  if (value.length > 63) return 'must be at most 63 characters';
  if (!DNS_LABEL.test(value)) {
    return 'must be a DNS label: lower-case letters, digits and "-", starting and ending with a letter or digit';
  }
  return undefined;
}

function dns1035Problem(value: string): string | undefined {
  if (value.length > 63) return 'must be at most 63 characters';
  if (!DNS_1035_LABEL.test(value)) {
    return 'must be a DNS-1035 label: lower-case letters, digits and "-", starting with a letter and ending with a letter or digit';
  }
  return undefined;
}

function dnsSubdomainProblem(value: string): string | undefined {
  if (value.length > 253) return 'must be at most 253 characters';
  if (!DNS_SUBDOMAIN.test(value)) {
    return 'must be a DNS subdomain: lower-case letters, digits, "-" and ".", starting and ending with a letter or digit';
  }
  return undefined;
}

/** RBAC objects only need to be safe as one URL path segment (`system:controller:x` is fine). */
function pathSegmentProblem(value: string): string | undefined {
  if (value.length > 253) return 'must be at most 253 characters';
  if (value === '.' || value === '..') return `must not be "${value}"`;
  if (/[/%]/.test(value)) return 'must not contain "/" or "%"';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'must not contain control characters';
  return undefined;
}

function cronJobProblem(value: string): string | undefined {
  // The controller appends an 11-character suffix to name Jobs, which must stay within 63.
  return (
    dnsSubdomainProblem(value) ??
    (value.length > 52 ? 'must be at most 52 characters for a CronJob' : undefined)
  );
}

const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

/** Why `name` is not a valid `metadata.name` for an object of this group and kind, or undefined. */
export function objectNameProblem(group: string, kind: string, name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (group === '' && kind === 'Service') return dns1035Problem(name);
  if (group === '' && kind === 'Namespace') return dnsLabelProblem(name);
  if (group === 'rbac.authorization.k8s.io' && RBAC_KINDS.has(kind)) return pathSegmentProblem(name);
  if (group === 'batch' && kind === 'CronJob') return cronJobProblem(name);
  return dnsSubdomainProblem(name);
}

/** `apps/v1` → `apps`; `v1` (the core group) → ``. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}
