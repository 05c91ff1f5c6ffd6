import type { Deployment, Version } from '@deploysmith/core';
import { describe, expect, it } from 'vitest';
import type { PublishResult } from './publish-version.ts';
import { failureSummaryMarkdown, formatPublishResult, publishSummaryMarkdown } from './report.ts';

const plain = { bold: String, green: String, yellow: String, red: String, dim: String };

const version: Version = {
  app: 'hello-world',
  id: '42540c4-123',
  state: 'published',
  metadata: {
    gitSha: '42540c4e1d2a9b8c7f6e5d4c3b2a190817263544',
    branch: 'main',
    tag: null,
    committer: 'Jane Doe',
    buildNumber: '123',
    pipelineUrl: 'https://github.com/acme/hello-world/actions/runs/1',
    createdAt: '2025-01-31T09:30:00.000Z',
  },
  sha256: 'ab'.repeat(32),
  size: 2048,
  createdAt: '2025-01-31T09:31:00.000Z',
  publishedAt: '2025-01-31T09:31:01.000Z',
  deployedTo: ['staging'],
};

const deployment: Deployment = {
  id: 'd1',
  app: 'hello-world',
  environment: 'staging',
  version: '42540c4-123',
  kind: 'auto-deploy',
  status: 'succeeded',
  commit: '5d1e0c2a'.padEnd(40, '0'),
  previousVersion: '1b7a9e4-122',
  requestedBy: 'policy',
  createdAt: '2025-01-31T09:31:01.000Z',
  finishedAt: '2025-01-31T09:31:02.000Z',
  error: null,
};

const result: PublishResult = {
  version,
  deployments: [deployment],
  skipped: [{ environment: 'production', reason: 'production skipped: pinned by alice (to 1b7a9e4-120)' }],
  uploaded: true,
};

describe('formatPublishResult', () => {
  it('names the version, each auto-deploy with its commit, and each skipped environment', () => {
    expect(formatPublishResult(result, plain)).toEqual([
      'Published hello-world 42540c4-123 (sha256 abababababab…, 2.0 KiB)',
      '  auto-deploy to staging: succeeded, GitOps commit 5d1e0c2 (was 1b7a9e4-122)',
      '  production skipped: pinned by alice (to 1b7a9e4-120)',
    ]);
  });

  it('names the environment of a skip reason that does not', () => {
    const lines = formatPublishResult(
      { ...result, deployments: [], skipped: [{ environment: 'qa', reason: 'busy' }] },
      plain,
    );
    expect(lines[1]).toBe('  qa: busy');
  });

  it('says when nothing was deployed, and when the bundle was already uploaded', () => {
    const lines = formatPublishResult({ ...result, deployments: [], skipped: [], uploaded: false }, plain);
    expect(lines[0]).toContain('already uploaded');
    expect(lines[1]).toMatch(/No auto-deploy policy matched/);
  });

  it('shows a failed auto-deploy with its reason', () => {
    const failed = {
      ...deployment,
      status: 'failed' as const,
      commit: null,
      error: 'GitOps repo unreachable',
    };
    expect(formatPublishResult({ ...result, deployments: [failed], skipped: [] }, plain)[1]).toBe(
      '  auto-deploy to staging: failed: GitOps repo unreachable',
    );
  });
});

describe('job summary', () => {
  it('lists the version, commit, linked build and the auto-deploys', () => {
    const markdown = publishSummaryMarkdown(result);
    expect(markdown).toContain('### forge published hello-world 42540c4-123');
    expect(markdown).toContain('| Commit | `42540c4` on `main` |');
    expect(markdown).toContain('| Build | [123](https://github.com/acme/hello-world/actions/runs/1) |');
    expect(markdown).toContain('- auto-deploy to **staging**: succeeded (GitOps commit `5d1e0c2`)');
    expect(markdown).toContain('- production skipped: pinned by alice (to 1b7a9e4-120)');
  });

  it('tells what failed, with file and line', () => {
    const markdown = failureSummaryMarkdown('hello-world', {
      code: 'invalid_manifests',
      message: 'Invalid manifests: manifests/a.yaml:3: bad',
      details: [{ file: 'manifests/a.yaml', line: 3, message: 'bad | worse', field: 'spec.replicas' }],
    });
    expect(markdown).toContain('### forge publish of hello-world failed');
    expect(markdown).toContain('- `manifests/a.yaml:3`: bad \\| worse (`spec.replicas`)');
  });
});
