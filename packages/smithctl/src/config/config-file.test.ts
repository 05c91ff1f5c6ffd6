import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeploySmithError } from '@deploysmith/core';
import { tempDir } from '@deploysmith/testkit/temp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configPath, emptyConfig } from './config.ts';
import { isReadableByOthers, parseConfig, readConfig, writeConfig } from './config-file.ts';

const sample = {
  currentContext: 'prod',
  contexts: {
    prod: { server: 'https://smithd.example.com', apiKey: 'dsk_prod' },
    staging: { server: 'http://127.0.0.1:8420', apiKey: 'dsk_staging' },
  },
};

describe('configPath', () => {
  it('puts the file under $XDG_CONFIG_HOME/deploysmith', () => {
    expect(configPath({ XDG_CONFIG_HOME: '/x/config' }, '/home/alice')).toBe(
      '/x/config/deploysmith/config.yaml',
    );
  });

  it('falls back to ~/.config when XDG_CONFIG_HOME is unset, empty or relative', () => {
    for (const env of [{}, { XDG_CONFIG_HOME: '' }, { XDG_CONFIG_HOME: 'relative/dir' }]) {
      expect(configPath(env, '/home/alice')).toBe('/home/alice/.config/deploysmith/config.yaml');
    }
  });
});

describe('reading and writing the config file', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir('smithctl-config-');
  });
  afterEach(() => dir.remove());

  it('reads a missing file as no contexts', async () => {
    expect(await readConfig(join(dir.path, 'none', 'config.yaml'))).toEqual(emptyConfig());
  });

  it('writes the file 0600 in a folder 0700 and reads back what it wrote', async () => {
    const path = join(dir.path, 'xdg', 'deploysmith', 'config.yaml');
    await writeConfig(path, sample);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir.path, 'xdg', 'deploysmith'))).mode & 0o777).toBe(0o700);
    expect(await readConfig(path)).toEqual(sample);
    expect(await isReadableByOthers(path)).toBe(false);
  });

  it('tightens a config folder and replaces a config file that others could read', async () => {
    const folder = join(dir.path, 'deploysmith');
    await mkdir(folder, { mode: 0o755 });
    const path = join(folder, 'config.yaml');
    await writeFile(path, 'contexts: {}\n', { mode: 0o644 });
    expect(await isReadableByOthers(path)).toBe(true);
    await writeConfig(path, sample);
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('writes a comment that says the file holds keys, and leaves no temporary file behind', async () => {
    const path = join(dir.path, 'config.yaml');
    await writeConfig(path, sample);
    expect(await readFile(path, 'utf8')).toMatch(/^# .*API keys/);
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(dir.path)).toEqual(['config.yaml']);
  });
});

describe('parseConfig', () => {
  const problem = (text: string): DeploySmithError => {
    try {
      parseConfig(text, '/home/alice/.config/deploysmith/config.yaml');
    } catch (error) {
      return error as DeploySmithError;
    }
    throw new Error('parseConfig accepted it');
  };

  it('rejects YAML that does not parse, naming the file and the line', () => {
    const error = problem('contexts:\n  prod: {server: x\n');
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('/home/alice/.config/deploysmith/config.yaml');
    expect(error.details[0]?.line).toBeGreaterThan(0);
    expect(error.hint).toContain('smithctl login');
  });

  it('rejects a context without an API key, naming the field', () => {
    const error = problem('contexts:\n  prod:\n    server: https://a\n');
    expect(error.message).toContain('contexts.prod');
  });

  it('rejects unknown keys and duplicate keys', () => {
    expect(problem('colour: red\n').code).toBe('invalid_input');
    expect(problem('currentContext: a\ncurrentContext: b\n').code).toBe('invalid_input');
  });

  it('rejects a current context that is not among the contexts', () => {
    expect(problem('currentContext: gone\ncontexts: {}\n').message).toContain('"gone"');
  });

  it('refuses a document whose aliases would blow up in memory', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
    ].join('\n');
    expect(problem(bomb).code).toBe('invalid_input');
  });

  it('reads an empty file as no contexts', () => {
    expect(parseConfig('', 'config.yaml')).toEqual(emptyConfig());
  });
});
