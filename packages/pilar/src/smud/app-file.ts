/** A product's `<stage>/app.yaml`: `helm.chartVersion` (and `useGoTemplate`), read and bumped in place. */
import { type Document, isMap, isScalar } from 'yaml';
import { layoutError, parseYaml } from '../yaml/parse.ts';
import { setScalars } from '../yaml/set-scalars.ts';

export function readChartVersion(doc: Document, file: string): string {
  const helm = isMap(doc.contents) ? doc.contents.get('helm', true) : undefined;
  const version = isMap(helm) ? helm.get('chartVersion', true) : undefined;
  if (!isScalar(version) || version.value === null || typeof version.value === 'object') {
    throw layoutError(
      file,
      'has no helm.chartVersion',
      'An app.yaml holds "helm:" with "chartVersion: X.Y.Z".',
    );
  }
  return String(version.value);
}

/** Sets helm.chartVersion; returns the new text and the version it replaced. */
export function editChartVersion(
  text: string,
  file: string,
  version: string,
): { text: string; previous: string } {
  const previous = readChartVersion(parseYaml(text, file), file);
  if (previous === version) return { text, previous };
  return { text: setScalars(text, [{ path: ['helm', 'chartVersion'], value: version }]), previous };
}
