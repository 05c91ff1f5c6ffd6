/**
 * Golden files: each edit applied to a `*.before.golden` YAML file must give the hand-written `*.after.golden`
 * byte for byte, and the line diff between them must hold only the lines the edit is about.
 */
import { readFileSync } from 'node:fs';
import { DeploySmithError } from '@deploysmith/core';
import { diffLines } from 'diff';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../yaml/parse.ts';
import { editChartVersion } from './app-file.ts';
import { addToGroup, readProductGroups, removeFromGroup } from './product-groups.ts';
import { editValues, readValuesText } from './values-file.ts';

const golden = (name: string) => readFileSync(new URL(`./golden/${name}`, import.meta.url), 'utf8');

/** The removed and added lines of a before → after change. */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const removed: string[] = [];
  const added: string[] = [];
  for (const part of diffLines(before, after)) {
    const lines = part.value.replace(/\n$/, '').split('\n');
    if (part.removed) removed.push(...lines);
    if (part.added) added.push(...lines);
  }
  return { removed, added };
}

const D2 = `sha256:${'2'.repeat(64)}`;
const D3 = `sha256:${'3'.repeat(64)}`;

describe('values.yaml edits', () => {
  const before = golden('values-seed.before.golden');

  it('replaces only the image line, keeping its quotes and trailing comment', () => {
    const after = editValues(before, 'values.yaml', {
      image: `registry.dips.no/favn-feature-patientlist@${D2}`,
    });
    expect(after).toBe(golden('values-seed.image.after.golden'));
    const { removed, added } = changedLines(before, after);
    expect(removed).toHaveLength(1);
    expect(added).toEqual([`  image: "registry.dips.no/favn-feature-patientlist@${D2}"  # pinned by CI`]);
  });

  it('raises a minVersion, adds one to a dependency without, and appends a new dependency', () => {
    const after = editValues(before, 'values.yaml', {
      image: `registry.dips.no/favn-feature-patientlist@${D2}`,
      requires: [
        { name: 'patientlistservice', minVersion: '4.13.0' },
        { name: 'favn-host', minVersion: '3.5.0' },
        { name: 'patientlist-db', minVersion: '1.2.0' },
      ],
    });
    expect(after).toBe(golden('values-seed.requires.after.golden'));
    const { removed, added } = changedLines(before, after);
    expect(removed.map((l) => l.trim())).toEqual([expect.stringMatching(/^image: /), 'minVersion: "4.12.0"']);
    expect(added.map((l) => l.trim())).toEqual([
      expect.stringMatching(/^image: /),
      'minVersion: "4.13.0"',
      'minVersion: "3.5.0"',
      '- name: patientlist-db',
      'minVersion: "1.2.0"',
    ]);
    expect(readValuesText(after, 'values.yaml').dependencies).toEqual([
      { name: 'patientlistservice', minVersion: '4.13.0' },
      { name: 'favn-host', minVersion: '3.5.0' },
      { name: 'patientlist-db', minVersion: '1.2.0' },
    ]);
  });

  it('follows the file: plain image, four-space indent, unindented list, single quotes, flow style elsewhere', () => {
    const input = golden('values-plain.before.golden');
    const after = editValues(input, 'values.yaml', {
      image: `registry.dips.no/favn-feature-forms@${D3}`,
      requires: [
        { name: 'forms-service', minVersion: '2.1.0' },
        { name: 'forms-db', minVersion: '1.0.0' },
      ],
    });
    expect(after).toBe(golden('values-plain.after.golden'));
  });

  it('adds a dependencyManager block to a feature that had none, before a trailing comment', () => {
    const input = golden('values-nomanager.before.golden');
    const after = editValues(input, 'values.yaml', {
      requires: [{ name: 'helpwidget-service', minVersion: '0.9.0' }],
    });
    expect(after).toBe(golden('values-nomanager.after.golden'));
    const { removed } = changedLines(input, after);
    expect(removed).toEqual([]);
  });

  it('returns the text unchanged when nothing differs', () => {
    const same = editValues(before, 'values.yaml', {
      image: `registry.dips.no/favn-feature-patientlist@sha256:${'1'.repeat(64)}`,
      requires: [{ name: 'patientlistservice', minVersion: '4.12.0' }, { name: 'favn-host' }],
    });
    expect(same).toBe(before);
  });

  it('refuses invalid YAML and names the file and line', () => {
    let caught: unknown;
    try {
      editValues('valuesFile:\n  image: "x\n  enabled: [\n', 'products/x/development/values.yaml', {
        image: 'y',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DeploySmithError);
    expect((caught as DeploySmithError).code).toBe('invalid_input');
    expect((caught as DeploySmithError).message).toContain(
      'products/x/development/values.yaml is not valid YAML',
    );
    expect((caught as DeploySmithError).details[0]?.line).toBeGreaterThan(0);
  });

  it('refuses a values.yaml without valuesFile.image', () => {
    expect(() => editValues('valuesFile:\n  enabled: true\n', 'v.yaml', { image: 'y' })).toThrow(
      'has no valuesFile.image',
    );
    expect(() => editValues('other: 1\n', 'v.yaml', { image: 'y' })).toThrow('has no "valuesFile" mapping');
  });

  it('refuses duplicate keys, which would make the edit ambiguous', () => {
    expect(() => editValues('valuesFile:\n  image: a\n  image: b\n', 'v.yaml', { image: 'y' })).toThrow(
      /not valid YAML/,
    );
  });
});

describe('app.yaml edits', () => {
  const before = golden('app.before.golden');

  it('replaces only the chart version, keeping its comment', () => {
    const { text, previous } = editChartVersion(before, 'app.yaml', '4.13.0');
    expect(previous).toBe('4.12.1');
    expect(text).toBe(golden('app.after.golden'));
    expect(changedLines(before, text).added).toEqual(['  chartVersion: 4.13.0   # bumped with the feature']);
  });

  it('quotes a version that would otherwise read back as a number', () => {
    expect(editChartVersion(before, 'app.yaml', '4.13').text).toBe(golden('app.numeric.after.golden'));
  });

  it('refuses an app.yaml without helm.chartVersion', () => {
    expect(() => editChartVersion('helm: {}\n', 'app.yaml', '1.0.0')).toThrow('has no helm.chartVersion');
  });
});

describe('productGroups.yaml edits', () => {
  const before = golden('groups.before.golden');
  const file = 'environments/productGroups.yaml';

  it('reads groups, an empty one included', () => {
    const groups = readProductGroups(parseYaml(before, file));
    expect(groups.get('patientlist-domain')).toEqual([
      'patientlistservice',
      'patientlist-db',
      'favn-feature-patientlist',
    ]);
    expect(groups.get('appointments-domain')).toEqual([]);
  });

  it('adds a product as a new line after the last one of its group', () => {
    const after = addToGroup(before, file, 'patientlist-domain', 'patientlist-cache');
    expect(after).toBe(golden('groups.add.after.golden'));
    expect(changedLines(before, after)).toEqual({ removed: [], added: ['  - patientlist-cache'] });
  });

  it('turns an empty group into a list', () => {
    expect(addToGroup(before, file, 'appointments-domain', 'favn-feature-appointments')).toBe(
      golden('groups.add-empty.after.golden'),
    );
  });

  it('adds a missing group at the end, spaced like the others', () => {
    const after = addToGroup(before, file, 'labresults-domain', 'favn-feature-labresults');
    expect(after).toBe(golden('groups.add-new.after.golden'));
    expect(changedLines(before, after).removed).toEqual([]);
  });

  it('leaves the file alone when the product is already there', () => {
    expect(addToGroup(before, file, 'favn-runtime', 'favn-host')).toBe(before);
  });

  it('removes only the product line, with its comment', () => {
    const after = removeFromGroup(before, file, 'patientlist-domain', 'patientlist-db');
    expect(after).toBe(golden('groups.rm.after.golden'));
    expect(changedLines(before, after)).toEqual({
      removed: ['  - patientlist-db                  # database'],
      added: [],
    });
  });

  it('keeps an emptied group as an empty list', () => {
    expect(removeFromGroup(before, file, 'helpwidget-domain', 'favn-feature-helpwidget')).toBe(
      golden('groups.rm-last.after.golden'),
    );
  });
});
