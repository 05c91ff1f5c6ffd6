import { stripVTControlCharacters } from 'node:util';
import type { DryRunResponse } from '@deploysmith/core';
import { describe, expect, it } from 'vitest';
import { formatDeployResult } from './deployment.ts';
import { deployment, plain, terminal } from './fixtures.test-data.ts';
import { colorDiff, formatPlan } from './plan.ts';

const diff = [
  'diff --git a/environments/staging/apps/hello/deployment.yaml b/environments/staging/apps/hello/deployment.yaml',
  '--- a/environments/staging/apps/hello/deployment.yaml',
  '+++ b/environments/staging/apps/hello/deployment.yaml',
  '@@ -1,3 +1,3 @@',
  ' kind: Deployment',
  '-  image: hello:1.1.0',
  '+  image: hello:1.2.0',
  '',
].join('\n');

const plan: DryRunResponse = {
  dryRun: true,
  app: 'hello',
  environment: 'staging',
  version: '1.2.0',
  kind: 'deploy',
  previousVersion: '1.1.0',
  plan: {
    added: ['environments/staging/apps/hello/configmap.yaml'],
    changed: ['environments/staging/apps/hello/deployment.yaml'],
    removed: ['environments/staging/apps/hello/old.yaml'],
    diff,
  },
};

describe('formatPlan', () => {
  it('says what the deploy is, lists the files it adds, changes and removes, and shows the diff', () => {
    const text = formatPlan(plan, plain);
    expect(text.split('\n').slice(0, 5)).toEqual([
      'Plan: deploy of hello in staging: 1.1.0 → 1.2.0',
      '  added    environments/staging/apps/hello/configmap.yaml',
      '  changed  environments/staging/apps/hello/deployment.yaml',
      '  removed  environments/staging/apps/hello/old.yaml',
      '1 added, 1 changed, 1 removed',
    ]);
    expect(text).toContain(diff.trimEnd());
    expect(text.trimEnd().endsWith('Dry run: nothing was changed.')).toBe(true);
  });

  it('says when the version is already deployed', () => {
    const noop = {
      ...plan,
      previousVersion: '1.2.0',
      plan: { added: [], changed: [], removed: [], diff: '' },
    };
    expect(formatPlan(noop, plain)).toContain(
      '1.2.0 is already deployed to staging: a deploy would change nothing.',
    );
  });

  it('names a rollback as such', () => {
    expect(formatPlan({ ...plan, kind: 'rollback', version: '1.0.0' }, plain)).toContain(
      'Plan: rollback of hello in staging: 1.1.0 → 1.0.0',
    );
  });
});

describe('colorDiff', () => {
  it('colours added lines green, removed red and hunks cyan on a terminal, and nothing otherwise', () => {
    const coloured = colorDiff(diff, terminal);
    expect(coloured).not.toBe(diff);
    expect(coloured).toContain(terminal.color.green('+  image: hello:1.2.0'));
    expect(coloured).toContain(terminal.color.red('-  image: hello:1.1.0'));
    expect(coloured).toContain(terminal.color.cyan('@@ -1,3 +1,3 @@'));
    expect(coloured).toContain(terminal.color.bold('+++ b/environments/staging/apps/hello/deployment.yaml'));
    expect(stripVTControlCharacters(coloured)).toBe(diff);
    expect(colorDiff(diff, plain)).toBe(diff);
  });
});

describe('formatDeployResult', () => {
  it('prints the commit of a deploy and what it replaced', () => {
    expect(formatDeployResult({ deployment: deployment(), noop: false }, plain)).toBe(
      'Deployed hello 1.2.0 to staging (was 1.1.0): commit 0123456789abcdef0123456789abcdef01234567.',
    );
  });

  it('says a rollback is one, from what to what, and that it pins the environment', () => {
    const text = formatDeployResult(
      {
        deployment: deployment({ kind: 'rollback', version: '1.0.0', previousVersion: '1.2.0' }),
        noop: false,
      },
      plain,
    );
    expect(text).toContain(
      'Rolled back hello in staging from 1.2.0 to 1.0.0: commit 0123456789abcdef0123456789abcdef01234567.',
    );
    expect(text).toContain('staging is pinned to 1.0.0');
    expect(text).toContain('smithctl unpin hello --env staging');
  });

  it('says when the version was already deployed and nothing changed', () => {
    expect(formatDeployResult({ deployment: deployment(), noop: true }, plain)).toBe(
      'hello 1.2.0 is already deployed to staging; nothing changed (commit 0123456789abcdef0123456789abcdef01234567).',
    );
  });
});
