import { DeploySmithError } from '@deploysmith/core';
import { describe, expect, it } from 'vitest';
import { failureCause } from './failure-causes.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('failure causes', () => {
  it('names a database locked by another process (503), not an unexpected error', () => {
    expect(failureCause(withCode('database is locked', 'SQLITE_BUSY'))).toMatchObject({
      code: 'database_unavailable',
      status: 503,
      message: expect.stringMatching(/locked by another process/),
    });
  });

  it('names a full disk (507) wherever it surfaced: the file system, SQLite, or git behind another error', () => {
    const git = Object.assign(new Error('git fetch failed'), {
      stderr: 'fatal: write error: No space left on device',
    });
    for (const error of [
      withCode('ENOSPC: no space left on device, write', 'ENOSPC'),
      withCode('database or disk is full', 'SQLITE_FULL'),
      new DeploySmithError('gitops_unreachable', 'GitOps repo "gitops" cannot be reached', { cause: git }),
    ]) {
      expect(failureCause(error)).toMatchObject({ code: 'insufficient_storage', status: 507 });
    }
  });

  it('leaves every other error alone', () => {
    expect(failureCause(new Error('boom'))).toBeUndefined();
    expect(failureCause(withCode('constraint failed', 'SQLITE_CONSTRAINT_UNIQUE'))).toBeUndefined();
  });
});
