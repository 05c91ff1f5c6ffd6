/** Resources shaped exactly as smithd's API returns them, for the formatting tests. */
import { createOutput } from '@deploysmith/cli-kit';
import type { App, Deployment, Version } from '@deploysmith/core';

export const NOW = new Date('2025-06-01T12:00:00Z');
export const plain = createOutput({ stdoutIsTTY: false, env: {} });
export const terminal = createOutput({ stdoutIsTTY: true, env: {} });
export const terminalNoColor = createOutput({ stdoutIsTTY: true, env: { NO_COLOR: '1' } });

export function version(id: string, overrides: Partial<Version> = {}): Version {
  return {
    app: 'hello',
    id,
    state: 'published',
    metadata: {
      gitSha: 'abcdef0123456789abcdef0123456789abcdef01',
      branch: 'main',
      tag: null,
      committer: 'alice',
      buildNumber: '17',
      pipelineUrl: null,
      createdAt: '2025-06-01T10:00:00Z',
    },
    sha256: 'a'.repeat(64),
    size: 2048,
    createdAt: '2025-06-01T10:00:00Z',
    publishedAt: '2025-06-01T11:00:00Z',
    deployedTo: [],
    ...overrides,
  };
}

export function deployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    id: 'd1',
    app: 'hello',
    environment: 'staging',
    version: '1.2.0',
    kind: 'deploy',
    status: 'succeeded',
    commit: '0123456789abcdef0123456789abcdef01234567',
    previousVersion: '1.1.0',
    requestedBy: 'alice',
    createdAt: '2025-06-01T11:55:00Z',
    finishedAt: '2025-06-01T11:55:02Z',
    error: null,
    ...overrides,
  };
}

export function app(overrides: Partial<App> = {}): App {
  return {
    name: 'hello',
    repo: 'gitops',
    environments: ['staging', 'production'],
    createdAt: '2025-05-01T00:00:00Z',
    status: [
      {
        environment: 'staging',
        current: deployment(),
        pin: null,
        policy: {
          app: 'hello',
          environment: 'staging',
          branch: 'main',
          tag: null,
          updatedAt: '2025-05-02T00:00:00Z',
        },
      },
      {
        environment: 'production',
        current: deployment({
          environment: 'production',
          version: '1.0.0',
          kind: 'rollback',
          requestedBy: 'bob',
          previousVersion: '1.1.0',
        }),
        pin: {
          app: 'hello',
          environment: 'production',
          version: '1.0.0',
          pinnedBy: 'bob',
          pinnedAt: '2025-06-01T09:00:00Z',
        },
        policy: null,
      },
    ],
    ...overrides,
  };
}
