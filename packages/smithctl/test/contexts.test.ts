/**
 * Logging in, contexts, and where the server and key come from (flag > environment > context),
 * with the built smithctl against a real smithd; a server that is down; --help and completion.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '@deploysmith/testkit/bin';
import { freePort } from '@deploysmith/testkit/ports';
import { type SmithdHandle, startSmithd } from '@deploysmith/testkit/smithd';
import { type TempDir, tempDir } from '@deploysmith/testkit/temp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Smithctl, smithctlWith } from './support/cli.ts';

let smithd: SmithdHandle;
let home: TempDir;
let smithctl: Smithctl;
let aliceKey: string;
let configFile: string;

beforeAll(async () => {
  smithd = await startSmithd();
  home = await tempDir('smithctl-home-');
  configFile = join(home.path, 'deploysmith', 'config.yaml');
  const created = await runCli('smithd', [
    'keys',
    'create',
    '--name',
    'alice',
    '--data-dir',
    smithd.dataDir,
    '--json',
  ]);
  expect(created.exitCode, created.stderr).toBe(0);
  aliceKey = JSON.parse(created.stdout).key;
  smithctl = smithctlWith(home.path);
});

afterAll(async () => {
  await smithd?.stop();
  await home?.remove();
});

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

describe('login and contexts', () => {
  it('says how to log in when nothing is configured', async () => {
    const result = await smithctl(['apps', 'list']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('No smithd server is configured.');
    expect(result.stderr).toContain('smithctl login --server URL --api-key KEY');
  });

  it('refuses a wrong key at login (exit 4) and saves nothing', async () => {
    const result = await smithctl(['login', '--server', smithd.url, '--api-key', 'dsk_wrong']);
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain('[unauthorized]');
    expect(await exists(configFile)).toBe(false);
  });

  it('refuses a server that is down at login (exit 3) and saves nothing', async () => {
    const result = await smithctl([
      'login',
      '--server',
      `http://127.0.0.1:${await freePort()}`,
      '--api-key',
      aliceKey,
    ]);
    expect(result.exitCode).toBe(3);
    expect(await exists(configFile)).toBe(false);
  });

  it('checks the key, then saves the context owner-only (file 0600, folder 0700) and makes it current', async () => {
    const result = await smithctl(['login', '--server', smithd.url, '--api-key', aliceKey]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Logged in to ${smithd.url}; context "default" is now current`);
    expect((await stat(configFile)).mode & 0o777).toBe(0o600);
    expect((await stat(join(home.path, 'deploysmith'))).mode & 0o777).toBe(0o700);
    expect(await readFile(configFile, 'utf8')).toContain(aliceKey);

    expect(await smithctl.json(['context', 'list'])).toEqual({
      currentContext: 'default',
      contexts: [{ name: 'default', server: smithd.url, current: true }],
    });
    expect((await smithctl(['apps', 'list'])).exitCode).toBe(0);
  });

  it('keeps several contexts, switches between them and removes them, never printing keys', async () => {
    const login = await smithctl([
      'login',
      '--server',
      smithd.url,
      '--api-key',
      smithd.apiKey,
      '--context',
      'admin',
    ]);
    expect(login.exitCode, login.stderr).toBe(0);
    const list = await smithctl(['context', 'list']);
    expect(
      list.stdout
        .trim()
        .split('\n')
        .map((line) => line.trim().split(/\s+/)),
    ).toEqual([
      ['CURRENT', 'NAME', 'SERVER'],
      ['*', 'admin', smithd.url],
      ['default', smithd.url],
    ]);
    expect(list.stdout + list.stderr).not.toContain('dsk_');

    expect((await smithctl(['context', 'use', 'default'])).exitCode).toBe(0);
    expect((await smithctl.json(['context', 'list'])).currentContext).toBe('default');

    const removed = await smithctl(['context', 'rm', 'admin']);
    expect(removed.exitCode).toBe(0);
    expect(await readFile(configFile, 'utf8')).not.toContain(smithd.apiKey);
    expect((await smithctl.json(['context', 'list'])).contexts.map((c: { name: string }) => c.name)).toEqual([
      'default',
    ]);

    const unknown = await smithctl(['context', 'use', 'nope']);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain('No context named "nope".');
    expect(unknown.stderr).toContain('Known contexts: default.');
  });

  it('takes the key from the flag before the environment, and the environment before the context', async () => {
    const envWrong = await smithctl(['apps', 'list'], { SMITH_API_KEY: 'dsk_wrong' });
    expect(envWrong.exitCode).toBe(4);
    const flagRight = await smithctl(['apps', 'list', '--api-key', aliceKey], { SMITH_API_KEY: 'dsk_wrong' });
    expect(flagRight.exitCode, flagRight.stderr).toBe(0);
    const flagWrong = await smithctl(['--api-key', 'dsk_wrong', 'apps', 'list']);
    expect(flagWrong.exitCode).toBe(4);
  });

  it('takes the server from the flag before the environment, and never sends a context key to another server', async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const envDown = await smithctl(['apps', 'list'], { SMITH_URL: down, SMITH_API_KEY: aliceKey });
    expect(envDown.exitCode).toBe(3);
    expect(envDown.stderr).toContain('[server_unreachable]');
    const flagUp = await smithctl(['apps', 'list', '--server', smithd.url], {
      SMITH_URL: down,
      SMITH_API_KEY: aliceKey,
    });
    expect(flagUp.exitCode, flagUp.stderr).toBe(0);

    const elsewhere = await smithctl(['apps', 'list', '--server', down]);
    expect(elsewhere.exitCode).toBe(4);
    expect(elsewhere.stderr).toContain(`belongs to ${smithd.url} and is not sent elsewhere`);
  });

  it('uses the server and key of the environment alone, without any context', async () => {
    const bare = smithctlWith(join(home.path, 'empty'));
    const result = await bare(['apps', 'list', '--json'], { SMITH_URL: smithd.url, SMITH_API_KEY: aliceKey });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ items: [] });
  });

  it('names a broken config file and how to recover, and ignores it when the environment gives server and key', async () => {
    const broken = join(home.path, 'broken');
    await mkdir(join(broken, 'deploysmith'), { recursive: true });
    await writeFile(join(broken, 'deploysmith', 'config.yaml'), 'contexts:\n  prod: [unclosed\n');
    const withBroken = smithctlWith(broken);
    const failed = await withBroken(['apps', 'list']);
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toContain(
      `The smithctl config file ${join(broken, 'deploysmith', 'config.yaml')} is invalid`,
    );
    expect(failed.stderr).toContain('smithctl login');
    const fromEnv = await withBroken(['apps', 'list'], { SMITH_URL: smithd.url, SMITH_API_KEY: aliceKey });
    expect(fromEnv.exitCode, fromEnv.stderr).toBe(0);
  });

  it('fails on --context naming a context that does not exist', async () => {
    const result = await smithctl(['--context', 'nope', 'apps', 'list']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('No context named "nope".');
  });
});

describe('a server that is down', () => {
  it('exits 3 with what to check, as text and as JSON', async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const result = await smithctl(['status', 'hello', '--server', down, '--api-key', aliceKey]);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(
      /^error: Cannot reach smithd at http:\/\/127\.0\.0\.1:\d+: .* \[server_unreachable\]$/m,
    );
    expect(result.stderr).toContain('hint: Check that smithd is running');
    const json = await smithctl([
      'deploy',
      'hello',
      '1.0.0',
      '--env',
      'staging',
      '--server',
      down,
      '--api-key',
      aliceKey,
      '--json',
    ]);
    expect(json.exitCode).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'server_unreachable' } });
  });
});

describe('help and completion', () => {
  const commands = [
    ['login'],
    ['context', 'list'],
    ['context', 'use'],
    ['context', 'rm'],
    ['apps', 'register'],
    ['apps', 'list'],
    ['versions'],
    ['versions', 'show'],
    ['deploy'],
    ['rollback'],
    ['status'],
    ['history'],
    ['policy', 'set'],
    ['policy', 'list'],
    ['policy', 'rm'],
    ['unpin'],
    ['completion'],
  ];

  it('gives every command --help with examples', async () => {
    for (const command of commands) {
      const result = await smithctl([...command, '--help']);
      expect(result.exitCode, command.join(' ')).toBe(0);
      expect(result.stdout, command.join(' ')).toContain('Examples:\n  $ ');
    }
    const root = await smithctl(['--help']);
    expect(root.stdout).toContain('Exit codes:');
  });

  it('prints bash and zsh completion scripts that name every command', async () => {
    const bash = await smithctl(['completion', 'bash']);
    expect(bash.exitCode).toBe(0);
    expect(bash.stdout).toContain('complete -F _smithctl_completion smithctl');
    const zsh = await smithctl(['completion', 'zsh']);
    expect(zsh.stdout.startsWith('#compdef smithctl\n')).toBe(true);
    for (const [name] of commands) {
      expect(bash.stdout).toContain(`:${name}'`);
      expect(zsh.stdout).toContain(`'${name}:`);
    }
  });
});
