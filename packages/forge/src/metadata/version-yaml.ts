import { stringify } from 'yaml';

/** version.yml as text: the fields in their declared order, nulls written as `null`. */
export function renderVersionYaml(document: object): string {
  return stringify(document, { lineWidth: 0 });
}
