import { describe, expect, it } from 'vitest';
import { emptyConfig } from './config.ts';
import { listContexts, removeContext, saveContext, useContext } from './contexts.ts';

const prod = { server: 'https://smithd.example.com', apiKey: 'dsk_prod' };
const staging = { server: 'https://smithd.staging.example.com', apiKey: 'dsk_staging' };

describe('contexts', () => {
  it('makes a saved context the current one and keeps the others', () => {
    const one = saveContext(emptyConfig(), 'prod', prod);
    const two = saveContext(one, 'staging', staging);
    expect(two).toEqual({ currentContext: 'staging', contexts: { prod, staging } });
    expect(one).toEqual({ currentContext: 'prod', contexts: { prod } });
  });

  it('replaces a context saved again under the same name', () => {
    const config = saveContext(saveContext(emptyConfig(), 'prod', prod), 'prod', {
      ...prod,
      apiKey: 'dsk_new',
    });
    expect(config.contexts.prod?.apiKey).toBe('dsk_new');
  });

  it('refuses context names that are not simple words', () => {
    for (const name of ['', '-x', 'a b', 'a/b', 'x'.repeat(64)]) {
      expect(() => saveContext(emptyConfig(), name, prod)).toThrow(/Invalid context name/);
    }
  });

  it('switches to a known context and names the known ones when asked for an unknown one', () => {
    const config = saveContext(saveContext(emptyConfig(), 'prod', prod), 'staging', staging);
    expect(useContext(config, 'prod').currentContext).toBe('prod');
    expect(() => useContext(config, 'dev')).toThrow(/No context named "dev"/);
    try {
      useContext(config, 'dev');
    } catch (error) {
      expect((error as { hint: string }).hint).toContain('prod, staging');
    }
  });

  it('leaves no current context when the current one is removed', () => {
    const config = saveContext(saveContext(emptyConfig(), 'prod', prod), 'staging', staging);
    expect(removeContext(config, 'staging')).toEqual({ currentContext: null, contexts: { prod } });
    expect(removeContext(config, 'prod')).toEqual({ currentContext: 'staging', contexts: { staging } });
    expect(() => removeContext(config, 'dev')).toThrow(/No context named/);
  });

  it('lists contexts by name with the current one marked and without their keys', () => {
    const config = saveContext(saveContext(emptyConfig(), 'staging', staging), 'prod', prod);
    const list = listContexts(config);
    expect(list).toEqual([
      { name: 'prod', server: prod.server, current: true },
      { name: 'staging', server: staging.server, current: false },
    ]);
    expect(JSON.stringify(list)).not.toContain('dsk_');
  });
});
