import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAuthor, parseRepoSpec } from './layers.ts';
import { isLoopback, parseListen } from './listen.ts';
import { loadConfig } from './resolve.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smithd-config-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('configuration layers', () => {
  it('runs on embedded defaults with nothing configured', () => {
    const config = loadConfig({ env: {}, cwd: dir });
    expect(config.dataDir).toBe(join(dir, '.deploysmith'));
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 8420 });
    expect(config.publicUrl).toBe('http://127.0.0.1:8420');
    expect(config.database).toEqual({ kind: 'sqlite', path: join(dir, '.deploysmith', 'smithd.db') });
    expect(config.storage).toEqual({ kind: 'file', path: join(dir, '.deploysmith', 'storage') });
    expect(config.embeddedRepo).toBe(true);
    expect(config.repos).toEqual([
      {
        name: 'gitops',
        url: join(dir, '.deploysmith', 'gitops.git'),
        branch: 'main',
        author: { name: 'DeploySmith', email: 'smithd@deploysmith.invalid' },
      },
    ]);
    expect(config.environments).toEqual(['staging', 'production']);
    expect(config.kustomizeCheck).toBe('auto');
  });

  it('lets the YAML file override defaults, the environment override the file, and flags override both', async () => {
    const file = join(dir, 'smithd.yaml');
    await writeFile(
      file,
      [
        'dataDir: /srv/from-file',
        'listen: 127.0.0.1:9000',
        'kustomizeCheck: never',
        'limits: { bundleFiles: 10, bundleBytes: 4096 }',
        'repos:',
        '  - name: fleet',
        '    url: https://git.example.com/fleet.git',
        '    branch: prod',
        '    author: { name: Bot, email: bot@example.com }',
      ].join('\n'),
    );
    const config = loadConfig({
      cwd: dir,
      env: {
        SMITHD_CONFIG: file,
        SMITHD_LISTEN: '127.0.0.1:9100',
        SMITHD_KUSTOMIZE_CHECK: 'always',
        SMITHD_DATA_DIR: '/srv/from-env',
      },
      flags: { listen: '127.0.0.1:9200' },
    });
    expect(config.listen.port).toBe(9200);
    expect(config.dataDir).toBe('/srv/from-env');
    expect(config.kustomizeCheck).toBe('always');
    expect(config.limits.bundleFiles).toBe(10);
    expect(config.limits.bundleBytes).toBe(4096);
    expect(config.limits.requestBytes).toBe(1024 * 1024);
    expect(config.embeddedRepo).toBe(false);
    expect(config.repos).toEqual([
      {
        name: 'fleet',
        url: 'https://git.example.com/fleet.git',
        branch: 'prod',
        author: { name: 'Bot', email: 'bot@example.com' },
      },
    ]);
  });

  it('replaces the repository list from a flag, with the default branch and author', () => {
    const config = loadConfig({
      cwd: dir,
      env: { SMITHD_REPOS: 'a=/srv/a.git' },
      flags: {
        gitopsRepo: ['b=ssh://git@example.com/b.git#release'],
        gitAuthor: 'Smith <smith@example.com>',
      },
    });
    expect(config.repos).toEqual([
      {
        name: 'b',
        url: 'ssh://git@example.com/b.git',
        branch: 'release',
        author: { name: 'Smith', email: 'smith@example.com' },
      },
    ]);
  });

  it('rejects an unknown key in the file, naming it', async () => {
    const file = join(dir, 'typo.yaml');
    await writeFile(file, 'listen: 127.0.0.1:1\ndatabse: sqlite:x.db\n');
    expect(() => loadConfig({ cwd: dir, env: {}, flags: { config: file } })).toThrow(/databse/);
  });

  it('refuses a non-loopback listen address without TLS unless told TLS ends elsewhere', () => {
    expect(() => loadConfig({ cwd: dir, env: {}, flags: { listen: '0.0.0.0:8420' } })).toThrow(/without TLS/);
    const config = loadConfig({
      cwd: dir,
      env: { SMITHD_INSECURE_LISTEN: 'true' },
      flags: { listen: '0.0.0.0:8420' },
    });
    expect(config.publicUrl).toBe('http://localhost:8420');
    const tls = loadConfig({
      cwd: dir,
      env: {},
      flags: { listen: '10.0.0.5:443', tlsCert: 'c.pem', tlsKey: 'k.pem' },
    });
    expect(tls.publicUrl).toBe('https://10.0.0.5:443');
    expect(tls.tls).toEqual({ cert: join(dir, 'c.pem'), key: join(dir, 'k.pem') });
  });

  it('accepts sqlite and postgres database URLs and rejects others without echoing a password', () => {
    expect(loadConfig({ cwd: dir, env: {}, flags: { database: 'sqlite:db/x.db' } }).database).toEqual({
      kind: 'sqlite',
      path: join(dir, 'db/x.db'),
    });
    expect(loadConfig({ cwd: dir, env: { SMITHD_DATABASE: 'postgres://u:p@h/db' } }).database.kind).toBe(
      'postgres',
    );
    expect(() => loadConfig({ cwd: dir, env: {}, flags: { database: 'mysql://u:secret@h/db' } })).toThrow(
      /mysql:\/\/u:\*\*\*@h\/db/,
    );
  });

  it('takes the database from SMITHD_DATABASE_URL or its older name SMITHD_DATABASE, refusing two different ones', () => {
    const url = 'postgres://smithd@db.example.com/smithd';
    expect(loadConfig({ cwd: dir, env: { SMITHD_DATABASE_URL: url } }).database).toEqual({
      kind: 'postgres',
      url,
    });
    expect(loadConfig({ cwd: dir, env: { SMITHD_DATABASE: url } }).database).toEqual({
      kind: 'postgres',
      url,
    });
    expect(
      loadConfig({ cwd: dir, env: { SMITHD_DATABASE_URL: url, SMITHD_DATABASE: url } }).database,
    ).toEqual({ kind: 'postgres', url });
    expect(() =>
      loadConfig({ cwd: dir, env: { SMITHD_DATABASE_URL: url, SMITHD_DATABASE: 'sqlite:x.db' } }),
    ).toThrow(/different databases/);
    expect(
      loadConfig({ cwd: dir, env: { SMITHD_DATABASE_URL: url }, flags: { database: 'sqlite:y.db' } })
        .database,
    ).toEqual({ kind: 'sqlite', path: join(dir, 'y.db') });
  });

  it('reads an S3 storage URL: bucket, prefix, region, and path-style addressing for a custom endpoint', () => {
    const storage = (url: string) => loadConfig({ cwd: dir, env: {}, flags: { storage: url } }).storage;
    expect(storage('s3://versions')).toEqual({
      kind: 's3',
      bucket: 'versions',
      prefix: '',
      pathStyle: false,
      url: 's3://versions',
    });
    expect(storage('s3://versions/team/a/?region=eu-central-1')).toMatchObject({
      bucket: 'versions',
      prefix: 'team/a',
      region: 'eu-central-1',
      pathStyle: false,
    });
    expect(
      storage('s3://versions/smithd?region=fsn1&endpoint=https%3A%2F%2Ffsn1.your-objectstorage.com%2F'),
    ).toMatchObject({ endpoint: 'https://fsn1.your-objectstorage.com', pathStyle: true, prefix: 'smithd' });
    expect(storage('s3://versions?endpoint=http://127.0.0.1:9000&pathStyle=false')).toMatchObject({
      pathStyle: false,
    });
    expect(() => storage('s3://Bad_Bucket')).toThrow(/not a valid bucket name/);
    expect(() => storage('s3://versions?regoin=x')).toThrow(/unknown parameter regoin/);
    expect(() => storage('s3://versions/a/../b')).toThrow(/"\.\."/);
    expect(() => storage('s3://versions?endpoint=ftp://x')).toThrow(/http/);
  });

  it('needs both TLS files', () => {
    expect(() => loadConfig({ cwd: dir, env: { SMITHD_TLS_CERT: 'c.pem' } })).toThrow(/together/);
  });
});

describe('listen addresses', () => {
  it('parses host:port, [v6]:port and a bare port', () => {
    expect(parseListen('127.0.0.1:80', 'x')).toEqual({ host: '127.0.0.1', port: 80 });
    expect(parseListen('[::1]:8420', 'x')).toEqual({ host: '::1', port: 8420 });
    expect(parseListen('9000', 'x')).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(() => parseListen('nope', 'x')).toThrow(/Invalid listen address/);
  });

  it('knows loopback from the rest', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('127.1.2.3')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('localhost')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
    expect(isLoopback('192.168.1.1')).toBe(false);
  });
});

describe('repository and author specs', () => {
  it('reads name=url#branch', () => {
    expect(parseRepoSpec('fleet=/srv/fleet.git#prod', 'x')).toEqual({
      name: 'fleet',
      url: '/srv/fleet.git',
      branch: 'prod',
    });
    expect(parseRepoSpec('/srv/fleet.git', 'x')).toEqual({ name: 'gitops', url: '/srv/fleet.git' });
  });

  it('reads Name <email>', () => {
    expect(parseAuthor('Deploy Bot <bot@example.com>', 'x')).toEqual({
      name: 'Deploy Bot',
      email: 'bot@example.com',
    });
    expect(() => parseAuthor('bot', 'x')).toThrow(/Invalid commit author/);
  });
});
