import { describe, expect, it } from 'vitest';
import { deployment, NOW, plain } from './fixtures.test-data.ts';
import { formatHistory } from './history.ts';
import { formatPolicies } from './policies.ts';

describe('formatHistory', () => {
  it('shows when, where, what, which kind, what it replaced, who, commit and outcome', () => {
    const lines = formatHistory(
      [
        deployment({ kind: 'rollback', version: '1.0.0', previousVersion: '1.2.0', requestedBy: 'bob' }),
        deployment({ kind: 'auto-deploy', previousVersion: null, requestedBy: 'policy' }),
        deployment({ status: 'failed', commit: null, error: 'GitOps repo unreachable' }),
      ],
      plain,
      NOW,
    ).split('\n');
    expect(lines[0]?.split(/\s{2,}/)).toEqual([
      'WHEN',
      'ENVIRONMENT',
      'VERSION',
      'KIND',
      'FROM',
      'BY',
      'COMMIT',
      'STATUS',
    ]);
    expect(lines[1]?.split(/\s{2,}/)).toEqual([
      '5m ago',
      'staging',
      '1.0.0',
      'rollback',
      '1.2.0',
      'bob',
      '0123456',
      'succeeded',
    ]);
    expect(lines[2]?.split(/\s{2,}/)).toEqual([
      '5m ago',
      'staging',
      '1.2.0',
      'auto-deploy',
      '-',
      'policy',
      '0123456',
      'succeeded',
    ]);
    expect(lines[3]?.split(/\s{2,}/)).toEqual([
      '5m ago',
      'staging',
      '1.2.0',
      'deploy',
      '1.1.0',
      'alice',
      '-',
      'failed: GitOps repo unreachable',
    ]);
  });
});

describe('formatPolicies', () => {
  it('shows the branch and tag globs of each environment', () => {
    const lines = formatPolicies(
      [
        {
          app: 'hello',
          environment: 'production',
          branch: null,
          tag: 'v*',
          updatedAt: '2025-06-01T11:00:00Z',
        },
      ],
      plain,
      NOW,
    ).split('\n');
    expect(lines[1]?.split(/\s{2,}/)).toEqual(['production', '-', 'v*', '1h ago']);
  });
});
