import type { DeploySmithError } from '@deploysmith/core';
import { describe, expect, it } from 'vitest';
import type { Config } from './config.ts';
import { resolveConnection, sameServer } from './resolve.ts';

const config: Config = {
  currentContext: 'prod',
  contexts: {
    prod: { server: 'https://smithd.example.com', apiKey: 'dsk_prod' },
    staging: { server: 'https://staging.example.com', apiKey: 'dsk_staging' },
  },
};
const none: Config = { currentContext: null, contexts: {} };

function failure(run: () => unknown): DeploySmithError {
  try {
    run();
  } catch (error) {
    return error as DeploySmithError;
  }
  throw new Error('it did not fail');
}

describe('resolveConnection', () => {
  it('uses the current context when nothing overrides it', () => {
    expect(resolveConnection({}, {}, config)).toEqual({
      server: 'https://smithd.example.com',
      apiKey: 'dsk_prod',
      context: 'prod',
      from: { server: 'context', apiKey: 'context' },
    });
  });

  it('uses the context named by --context', () => {
    const connection = resolveConnection({ context: 'staging' }, {}, config);
    expect([connection.server, connection.apiKey, connection.context]).toEqual([
      'https://staging.example.com',
      'dsk_staging',
      'staging',
    ]);
  });

  it('prefers the environment to the context, and flags to both', () => {
    const env = { SMITH_URL: 'https://env.example.com', SMITH_API_KEY: 'dsk_env' };
    expect(resolveConnection({}, env, config)).toMatchObject({
      server: 'https://env.example.com',
      apiKey: 'dsk_env',
      from: { server: 'env', apiKey: 'env' },
    });
    expect(
      resolveConnection({ server: 'https://flag.example.com', apiKey: 'dsk_flag' }, env, config),
    ).toMatchObject({
      server: 'https://flag.example.com',
      apiKey: 'dsk_flag',
      from: { server: 'flag', apiKey: 'flag' },
    });
  });

  it('takes each setting from its own first source', () => {
    expect(resolveConnection({ apiKey: 'dsk_flag' }, {}, config)).toMatchObject({
      server: 'https://smithd.example.com',
      apiKey: 'dsk_flag',
      from: { server: 'context', apiKey: 'flag' },
    });
    expect(resolveConnection({}, { SMITH_API_KEY: 'dsk_env' }, config)).toMatchObject({
      server: 'https://smithd.example.com',
      from: { apiKey: 'env' },
    });
  });

  it('treats an empty flag or variable as unset', () => {
    expect(resolveConnection({ server: '' }, { SMITH_URL: '', SMITH_API_KEY: '' }, config)).toMatchObject({
      server: 'https://smithd.example.com',
      apiKey: 'dsk_prod',
    });
  });

  it("never sends a context's key to a different server given by flag or environment", () => {
    const error = failure(() => resolveConnection({ server: 'https://other.example.com' }, {}, config));
    expect(error.code).toBe('unauthorized');
    expect(error.message).toContain('belongs to https://smithd.example.com');
    expect(
      failure(() => resolveConnection({}, { SMITH_URL: 'https://other.example.com' }, config)).code,
    ).toBe('unauthorized');
    // The same server written differently still gets the key.
    expect(resolveConnection({ server: 'HTTPS://smithd.example.com:443/' }, {}, config).apiKey).toBe(
      'dsk_prod',
    );
  });

  it('says how to log in when no server is configured', () => {
    const error = failure(() => resolveConnection({}, {}, none));
    expect(error.code).toBe('invalid_input');
    expect(error.hint).toContain('smithctl login');
  });

  it('fails as unauthorized (exit 4) when there is a server but no key', () => {
    const error = failure(() => resolveConnection({ server: 'http://127.0.0.1:8420' }, {}, none));
    expect(error.code).toBe('unauthorized');
    expect(error.exitCode).toBe(4);
  });

  it('fails when --context names a context that does not exist', () => {
    const error = failure(() => resolveConnection({ context: 'dev' }, {}, config));
    expect(error.message).toContain('No context named "dev"');
  });
});

describe('sameServer', () => {
  it('compares URLs after normalising case, default ports and trailing slashes', () => {
    expect(sameServer('https://A.example.com/', 'https://a.example.com:443')).toBe(true);
    expect(sameServer('https://a.example.com/smithd/', 'https://a.example.com/smithd')).toBe(true);
    expect(sameServer('https://a.example.com', 'http://a.example.com')).toBe(false);
    expect(sameServer('https://a.example.com:8443', 'https://a.example.com')).toBe(false);
  });
});
