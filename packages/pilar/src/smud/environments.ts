/** `environments/<environment>.yaml`: `applications: [{ stage, productGroups: [...] }]`. */
import { type Document, isMap, isScalar, isSeq } from 'yaml';
import { layoutError } from '../yaml/parse.ts';

export interface EnvironmentApplication {
  stage: string;
  productGroups: string[];
}

export function readEnvironment(doc: Document, file: string): EnvironmentApplication[] {
  const applications = isMap(doc.contents) ? doc.contents.get('applications', true) : undefined;
  if (applications === undefined) return [];
  if (!isSeq(applications)) throw layoutError(file, 'applications is not a list');
  return applications.items.map((item, index) => {
    if (!isMap(item)) throw layoutError(file, `applications[${index}] is not a mapping`);
    const stage = item.get('stage');
    const groups = item.get('productGroups', true);
    const productGroups = isSeq(groups)
      ? groups.items.flatMap((g) => (isScalar(g) && g.value !== null ? [String(g.value)] : []))
      : [];
    return { stage: stage === undefined || stage === null ? '' : String(stage), productGroups };
  });
}
