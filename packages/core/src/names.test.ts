import Value from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { DeploySmithError } from './errors.ts';
import {
  assertAppName,
  assertEnvironmentName,
  assertVersionId,
  VersionId,
  versionIdProblem,
} from './names.ts';

describe('names', () => {
  it('accepts DNS-1123 app and environment names', () => {
    expect(assertAppName('hello-world')).toBe('hello-world');
    expect(assertEnvironmentName('production')).toBe('production');
  });

  it.each(['Hello', '-a', 'a-', 'a/b', '..', 'a_b', '', 'x'.repeat(64), 'a\u0000b', 'аpp'])(
    'rejects the app name %j with an invalid_input error',
    (name) => {
      expect(() => assertAppName(name)).toThrow(DeploySmithError);
    },
  );

  it('accepts version ids such as a short sha with a build number', () => {
    expect(assertVersionId('42540c4-123')).toBe('42540c4-123');
    expect(assertVersionId('1.4.0-rc.1')).toBe('1.4.0-rc.1');
  });

  it.each(['../x', 'a/b', '.hidden', 'a..b', '', 'a b', 'x'.repeat(129), 'v1\u0000'])(
    'rejects the version id %j',
    (id) => {
      expect(versionIdProblem(id)).toBeDefined();
    },
  );

  it.each(['../x', 'a/b', '.hidden', 'a..b', '1..2', '', 'a b', 'x'.repeat(129)])(
    'refuses the version id %j in the API schema as well (what smithd validates requests with)',
    (id) => {
      expect(Value.Check(VersionId, id)).toBe(false);
    },
  );

  it('says what is wrong and what to do', () => {
    try {
      assertVersionId('a/b');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DeploySmithError);
      expect((error as DeploySmithError).message).toContain('"a/b"');
      expect((error as DeploySmithError).hint).toBeDefined();
      expect((error as DeploySmithError).status).toBe(400);
    }
  });
});
