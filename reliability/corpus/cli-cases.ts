/**
 * Hostile input to the built CLIs, as a user or a CI job could give it: names with slashes, dots
 * and look-alikes, keys that are almost right, servers that are not servers, manifest folders with
 * links out of them, bombs and invalid objects. Each must stop with its documented exit code (1
 * invalid input, 2 refused by smithd, 3 unreachable, 4 unauthorized), never 70 (a bug), and leave
 * no file behind.
 */
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../../packages/testkit/src/bin.ts';
import { DEPLOYMENT } from './bundle-cases.ts';
import type { CorpusContext, HostileCase, Outcome } from './case.ts';

async function cli(
  context: CorpusContext,
  program: 'forge' | 'smithctl',
  args: string[],
  env: Record<string, string> = {},
): Promise<Outcome> {
  const result = await runCli(program, args, {
    cwd: context.cwd,
    env: { ...context.cliEnv, ...env },
    timeout: 60_000,
  });
  const text = `${result.stdout}\n${result.stderr}`;
  context.witness.saw(program, text);
  let code: string | undefined;
  try {
    code = JSON.parse(result.stdout).error?.code;
  } catch {
    // not --json, or no JSON
  }
  return { exitCode: result.exitCode, code, text };
}

/** A folder of manifests in the case's scratch space (outside the watched sandbox). */
async function manifests(context: CorpusContext, files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(join(context.scratch, 'manifests-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

const PUBLISH = [
  'publish',
  '--git-sha',
  '0123456789abcdef0123456789abcdef01234567',
  '--branch',
  'main',
  '--created-at',
  '2026-01-01T00:00:00Z',
];

export function cliCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  const byName = (name: string) => cases.find((c) => c.name === name) as HostileCase;
  const forge = (
    name: string,
    exit: number[],
    args: (c: CorpusContext, dir: string) => string[],
    files?: (c: CorpusContext) => Record<string, string | Buffer>,
    env: Record<string, string> = {},
  ) =>
    cases.push({
      family: 'forge',
      name,
      attack: async (c) => {
        const dir = await manifests(c, files ? files(c) : { 'deployment.yaml': DEPLOYMENT(c.app) });
        return cli(c, 'forge', args(c, dir), env);
      },
      expect: { exit },
    });
  const publish = (
    name: string,
    exit: number[],
    extra: (c: CorpusContext) => string[],
    files?: (c: CorpusContext) => Record<string, string | Buffer>,
    env: Record<string, string> = {},
  ) =>
    forge(
      name,
      exit,
      (c, dir) => [...PUBLISH, '--app', c.app, '--version', c.nextVersion(), ...extra(c), dir],
      files,
      env,
    );

  forge('forge publish --app a/b', [1], (_c, dir) => [...PUBLISH, '--app', 'a/b', '--version', '1', dir]);
  forge('forge publish --app ../x', [1], (_c, dir) => [...PUBLISH, '--app', '../x', '--version', '1', dir]);
  forge('forge publish --app with a Cyrillic look-alike', [1], (_c, dir) => [
    ...PUBLISH,
    '--app',
    'cоrpus',
    '--version',
    '1',
    dir,
  ]);
  forge('forge publish --version ../../x', [1], (c, dir) => [
    ...PUBLISH,
    '--app',
    c.app,
    '--version',
    '../../x',
    dir,
  ]);
  forge('forge publish --version with a space', [1], (c, dir) => [
    ...PUBLISH,
    '--app',
    c.app,
    '--version',
    '1 0',
    dir,
  ]);
  forge('forge publish --git-sha that is not hex', [1], (c, dir) => [
    'publish',
    '--app',
    c.app,
    '--version',
    '1',
    '--git-sha',
    'zzz',
    dir,
  ]);
  publish('forge publish --created-at that is not a date', [1], () => ['--created-at', 'last tuesday']);
  publish('forge publish --branch of 300 characters', [1, 2], () => ['--branch', 'b'.repeat(300)]);
  publish(
    'forge publish with a manifest linking to /etc/passwd',
    [1],
    () => [],
    () => ({}),
  );
  publish(
    'forge publish with an alias bomb',
    [1],
    () => [],
    () => ({
      'bomb.yaml':
        'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n',
    }),
  );
  publish(
    'forge publish with bytes that are not UTF-8',
    [1],
    () => [],
    () => ({
      'latin1.yaml': Buffer.from(
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata: {x: "\xe9"}\n',
        'latin1',
      ),
    }),
  );
  publish(
    'forge publish with an object without a name',
    [1],
    () => [],
    () => ({ 'x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n' }),
  );
  publish(
    'forge publish with the same object twice',
    [1],
    () => [],
    (c) => ({ 'a.yaml': DEPLOYMENT(c.app), 'b.yaml': DEPLOYMENT(c.app) }),
  );
  publish(
    'forge publish with flow nesting 100,000 deep',
    [1],
    () => [],
    () => ({ 'deep.yaml': `${'['.repeat(100_000)}${']'.repeat(100_000)}\n` }),
  );
  publish(
    'forge publish with a 5 MiB manifest',
    [1],
    () => [],
    () => ({
      'big.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata: {x: "${'x'.repeat(5 * 1024 * 1024)}"}\n`,
    }),
  );
  publish(
    'forge publish --no-validate with invalid manifests (smithd refuses)',
    [2],
    () => ['--no-validate'],
    () => ({ 'x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Name}\n' }),
  );
  // forge drafts and uploads before smithd refuses the publish, and smithd keeps a refused draft.
  byName('forge publish --no-validate with invalid manifests (smithd refuses)').allowsDraft = true;
  publish('forge publish to an app that does not exist', [2], () => [], undefined, {});
  publish('forge publish with an almost right key', [4], () => [], undefined, {});
  publish('forge publish with a server that is a file: URL', [1], () => ['--server', 'file:///etc/passwd']);
  publish('forge publish with a javascript: server', [1], () => ['--server', 'javascript:alert(1)']);
  publish('forge publish with a server nobody listens on', [3], () => ['--server', 'http://127.0.0.1:9']);
  forge(
    'forge validate a folder with a symlink loop',
    [1],
    (_c, dir) => ['validate', dir],
    () => ({}),
  );

  const smithctl = (
    name: string,
    exit: number[],
    args: (c: CorpusContext) => string[],
    env: (c: CorpusContext) => Record<string, string> = () => ({}),
  ) =>
    cases.push({
      family: 'smithctl',
      name,
      attack: (c) => cli(c, 'smithctl', args(c), env(c)),
      expect: { exit },
    });
  smithctl('smithctl deploy a/b', [1], () => ['deploy', 'a/b', '1.0.0', '--env', 'staging', '--yes']);
  smithctl('smithctl deploy a version ../1', [1], (c) => [
    'deploy',
    c.app,
    '../1',
    '--env',
    'staging',
    '--yes',
  ]);
  smithctl('smithctl deploy to an environment st/aging', [1], (c) => [
    'deploy',
    c.app,
    c.published,
    '--env',
    'st/aging',
    '--yes',
  ]);
  smithctl('smithctl deploy an unknown version', [2], (c) => [
    'deploy',
    c.app,
    '404.0.0',
    '--env',
    'staging',
    '--yes',
  ]);
  smithctl('smithctl deploy to an unknown environment', [2], (c) => [
    'deploy',
    c.app,
    c.published,
    '--env',
    'qa',
    '--yes',
  ]);
  smithctl('smithctl versions --limit -5', [1], (c) => ['versions', c.app, '--limit', '-5']);
  smithctl('smithctl versions --limit 100000', [1], (c) => ['versions', c.app, '--limit', '100000']);
  smithctl('smithctl versions --cursor that is garbage', [1, 2], (c) => [
    'versions',
    c.app,
    '--cursor',
    '%%%',
  ]);
  smithctl('smithctl versions --branch of 300 characters', [1, 2], (c) => [
    'versions',
    c.app,
    '--branch',
    'b'.repeat(300),
  ]);
  smithctl(
    'smithctl with the admin key one character off',
    [4],
    (c) => ['status', c.app],
    (c) => ({
      SMITH_API_KEY: c.witness.key(
        `${c.cliEnv.SMITH_API_KEY?.slice(0, -1)}${c.cliEnv.SMITH_API_KEY?.endsWith('A') ? 'B' : 'A'}`,
      ),
    }),
  );
  smithctl(
    'smithctl with the admin key in upper case',
    [4],
    (c) => ['status', c.app],
    (c) => ({ SMITH_API_KEY: c.witness.key((c.cliEnv.SMITH_API_KEY ?? '').toUpperCase()) }),
  );
  smithctl(
    'smithctl with the admin key cut short',
    [4],
    (c) => ['status', c.app],
    (c) => ({ SMITH_API_KEY: (c.cliEnv.SMITH_API_KEY ?? '').slice(0, 20) }),
  );
  smithctl(
    'smithctl login with a wrong key',
    [4],
    (c) => [
      'login',
      '--server',
      c.cliEnv.SMITH_URL ?? '',
      '--api-key',
      'dsk_wrongwrongwrongwrongwrongwrongwrongwrongwr',
    ],
    () => ({ SMITH_URL: '', SMITH_API_KEY: '' }),
  );
  smithctl(
    'smithctl login to a server that is a file: URL',
    [1],
    () => ['login', '--server', 'file:///etc/passwd', '--api-key', 'dsk_x'],
    () => ({ SMITH_URL: '', SMITH_API_KEY: '' }),
  );
  smithctl('smithctl policy set with an empty branch glob', [1, 2], (c) => [
    'policy',
    'set',
    c.app,
    '--env',
    'staging',
    '--branch',
    '',
  ]);
  smithctl('smithctl policy set with a 300-character glob', [1, 2], (c) => [
    'policy',
    'set',
    c.app,
    '--env',
    'staging',
    '--branch',
    'b'.repeat(300),
  ]);
  smithctl('smithctl rollback --to ../x', [1], (c) => [
    'rollback',
    c.app,
    '--env',
    'staging',
    '--to',
    '../x',
    '--yes',
  ]);
  smithctl('smithctl unpin an environment named ..', [1], (c) => ['unpin', c.app, '--env', '..']);
  smithctl('smithctl apps register Bad_Name', [1], () => [
    'apps',
    'register',
    'Bad_Name',
    '--env',
    'staging',
  ]);
  smithctl('smithctl apps register with an environment "a b"', [1], () => [
    'apps',
    'register',
    'corpus-new',
    '--env',
    'a b',
  ]);
  smithctl('smithctl status of a Cyrillic look-alike app', [1], () => ['status', 'cоrpus']);
  smithctl('smithctl history --env %2e%2e', [1], (c) => ['history', c.app, '--env', '%2e%2e']);
  smithctl(
    'smithctl --context ../../etc/passwd',
    [1],
    (c) => ['status', c.app, '--context', '../../etc/passwd'],
    () => ({ SMITH_URL: '', SMITH_API_KEY: '' }),
  );
  smithctl('smithctl with a server that is ftp:', [1], (c) => [
    'status',
    c.app,
    '--server',
    'ftp://example.com',
  ]);

  // Two cases need more than flags: a symlinked manifest and a symlink loop.
  byName('forge publish with a manifest linking to /etc/passwd').attack = async (c) => {
    const dir = await manifests(c, { 'deployment.yaml': DEPLOYMENT(c.app) });
    await symlink('/etc/passwd', join(dir, 'passwd.yaml'));
    return cli(c, 'forge', [...PUBLISH, '--app', c.app, '--version', c.nextVersion(), dir]);
  };
  byName('forge validate a folder with a symlink loop').attack = async (c) => {
    const dir = await manifests(c, { 'deployment.yaml': DEPLOYMENT(c.app) });
    await symlink(dir, join(dir, 'loop'));
    return cli(c, 'forge', ['validate', dir]);
  };
  byName('forge publish to an app that does not exist').attack = async (c) => {
    const dir = await manifests(c, { 'deployment.yaml': DEPLOYMENT('nobody') });
    return cli(c, 'forge', [...PUBLISH, '--app', 'nobody-registered-this', '--version', '1', dir]);
  };
  byName('forge publish with an almost right key').attack = async (c) => {
    const dir = await manifests(c, { 'deployment.yaml': DEPLOYMENT(c.app) });
    const key = c.cliEnv.SMITH_API_KEY ?? '';
    const almost = c.witness.key(`${key.slice(0, -2)}${key.endsWith('AA') ? 'BB' : 'AA'}`);
    return cli(c, 'forge', [...PUBLISH, '--app', c.app, '--version', c.nextVersion(), dir], {
      SMITH_API_KEY: almost,
    });
  };
  return cases;
}
