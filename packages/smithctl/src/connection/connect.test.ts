import { describe, expect, it } from 'vitest';
import { needsContexts } from './connect.ts';

describe('needsContexts', () => {
  it('skips the contexts file when flags or environment give both server and key', () => {
    expect(needsContexts({}, { SMITH_URL: 'http://a', SMITH_API_KEY: 'k' })).toBe(false);
    expect(needsContexts({ server: 'http://a', apiKey: 'k' }, {})).toBe(false);
    expect(needsContexts({ server: 'http://a' }, { SMITH_API_KEY: 'k' })).toBe(false);
  });

  it('reads it when a setting is missing, empty, or a context is named', () => {
    expect(needsContexts({}, {})).toBe(true);
    expect(needsContexts({ server: 'http://a' }, {})).toBe(true);
    expect(needsContexts({}, { SMITH_URL: 'http://a', SMITH_API_KEY: '' })).toBe(true);
    expect(needsContexts({ context: 'prod' }, { SMITH_URL: 'http://a', SMITH_API_KEY: 'k' })).toBe(true);
  });
});
