/** The files of a new feature registration product, as the seed's "first time setup" shows them. */
import { plainOrQuoted, quoted } from '../yaml/lines.ts';
import type { Dependency } from './values-file.ts';

export function productYaml(product: string, responsible: string, chart: string): string {
  return `productName: ${plainOrQuoted(product)}\nresponsible: ${plainOrQuoted(responsible)}\nchartName: ${plainOrQuoted(chart)}\n`;
}

export function appYaml(chartVersion: string): string {
  return `helm:\n  chartVersion: ${plainOrQuoted(chartVersion)}\nuseGoTemplate: true\n`;
}

export function valuesYaml(featureId: string, image: string, dependencies: Dependency[]): string {
  const lines = [
    'valuesFile:',
    '  enabled: true',
    `  featureId: ${plainOrQuoted(featureId)}`,
    `  image: ${quoted(image)}`,
  ];
  if (dependencies.length > 0) {
    lines.push('  dependencyManager:', '    enabled: true', '    dependencies:');
    for (const dep of dependencies) {
      lines.push(`      - name: ${plainOrQuoted(dep.name)}`);
      if (dep.minVersion !== undefined) lines.push(`        minVersion: ${quoted(dep.minVersion)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
