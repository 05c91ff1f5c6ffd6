import { describe, expect, it } from 'vitest';
import { app, NOW, plain, terminal } from './fixtures.test-data.ts';
import { formatAppsTable, formatStatus } from './status.ts';

describe('formatStatus', () => {
  it('shows per environment the version, when, by whom, commit, kind, pin and policy', () => {
    const lines = formatStatus(app(), plain, NOW).split('\n');
    expect(lines[0]).toBe('hello (repo gitops)');
    expect(lines[2]?.split(/\s{2,}/)).toEqual([
      'ENVIRONMENT',
      'VERSION',
      'DEPLOYED',
      'BY',
      'COMMIT',
      'KIND',
      'PIN',
      'AUTO-DEPLOY',
    ]);
    expect(lines[3]?.split(/\s{2,}/)).toEqual([
      'staging',
      '1.2.0',
      '4m ago',
      'alice',
      '0123456',
      'deploy',
      '-',
      'branch main',
    ]);
    expect(lines[4]?.split(/\s{2,}/)).toEqual([
      'production',
      '1.0.0',
      '4m ago',
      'bob',
      '0123456',
      'rollback',
      'pinned to 1.0.0 by bob 3h ago',
      '-',
    ]);
  });

  it('says how to lift each pin', () => {
    expect(formatStatus(app(), plain, NOW)).toContain(
      'production is pinned: auto-deploy skips it until `smithctl unpin hello --env production`',
    );
  });

  it('says when nothing is deployed to an environment', () => {
    const fresh = app({ status: [{ environment: 'staging', current: null, pin: null, policy: null }] });
    expect(
      formatStatus(fresh, plain, NOW)
        .split('\n')[3]
        ?.split(/\s{2,}/),
    ).toEqual(['staging', 'nothing deployed', '-', '-', '-', '-', '-', '-']);
  });

  it('colours pins on a terminal', () => {
    expect(formatStatus(app(), terminal, NOW)).toContain(
      terminal.color.yellow('pinned to 1.0.0 by bob 3h ago'),
    );
  });
});

describe('formatAppsTable', () => {
  it('lists each app with its repo and what runs in each environment', () => {
    const lines = formatAppsTable([app()], plain).split('\n');
    expect(lines[1]?.split(/\s{2,}/)).toEqual([
      'hello',
      'gitops',
      'staging=1.2.0',
      'production=1.0.0 (pinned)',
    ]);
  });
});
