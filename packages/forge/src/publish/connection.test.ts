import { describe, expect, it } from 'vitest';
import { resolveConnection } from './connection.ts';

describe('resolveConnection', () => {
  it('takes flags over the environment', () => {
    expect(
      resolveConnection(
        { server: 'http://a', apiKey: 'dsk_a' },
        { SMITH_URL: 'http://b', SMITH_API_KEY: 'dsk_b' },
      ),
    ).toEqual({ server: 'http://a', apiKey: 'dsk_a' });
    expect(resolveConnection({}, { SMITH_URL: 'http://b', SMITH_API_KEY: 'dsk_b' })).toEqual({
      server: 'http://b',
      apiKey: 'dsk_b',
    });
  });

  it('names both the flag and the variable when the server is missing (exit 1)', () => {
    expect(() => resolveConnection({}, { SMITH_API_KEY: 'dsk_b' })).toThrow(
      expect.objectContaining({
        code: 'invalid_input',
        exitCode: 1,
        hint: expect.stringMatching(/--server.*SMITH_URL/),
      }),
    );
  });

  it('refuses a server that is not http or https (exit 1), before any other work', () => {
    for (const server of ['file:///etc/passwd', 'javascript:alert(1)', 'not a url']) {
      expect(() => resolveConnection({ server, apiKey: 'dsk_a' }, {})).toThrow(
        expect.objectContaining({
          code: 'invalid_input',
          exitCode: 1,
          hint: expect.stringMatching(/--server/),
        }),
      );
    }
  });

  it('names both the flag and the variable when the key is missing (exit 4)', () => {
    expect(() => resolveConnection({}, { SMITH_URL: 'http://b', SMITH_API_KEY: ' ' })).toThrow(
      expect.objectContaining({
        code: 'unauthorized',
        exitCode: 4,
        hint: expect.stringMatching(/--api-key.*SMITH_API_KEY/),
      }),
    );
  });
});
