/**
 * Hostile bundles, drafted and uploaded the way a client does (the draft is legitimate; its bytes
 * are not) and then published: tar slip by `..`, absolute paths, links and GNU/PAX names; devices;
 * look-alike, hidden and duplicate names; bombs; broken archives; a lying version.yml. The publish
 * must be refused (400 invalid_bundle) and change nothing.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { type RawEntry, rawTar } from '../../packages/bundle/src/read/hostile-tar.ts';
import type { DraftResponse } from '../../packages/core/src/index.ts';
import { call } from '../http.ts';
import { metadataFor } from '../publishing.ts';
import { api } from './api-cases.ts';
import type { CorpusContext, HostileCase } from './case.ts';

export const DEPLOYMENT = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
        - { name: web, image: "registry.example.com/${name}:1" }
`;

export function versionYml(app: string, id: string, extra = ''): string {
  return `app: ${app}
id: ${JSON.stringify(id)}
gitSha: 0123456789abcdef0123456789abcdef01234567
branch: main
tag: null
committer: null
buildNumber: null
pipelineUrl: null
createdAt: 2026-01-01T00:00:00.000Z
${extra}`;
}

export interface Uploaded {
  id: string;
}

/** Drafts a new version for `bytes` and uploads them: what a client does before publishing. */
export async function draftAndUpload(context: CorpusContext, id: string, bytes: Buffer): Promise<Uploaded> {
  const answer = await call<DraftResponse>(context.smithd, 'POST', `/v1/apps/${context.app}/versions`, {
    body: {
      id,
      metadata: metadataFor(context.app, id, 'main', null),
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size: bytes.length,
    },
  });
  if (answer.status !== 201 || answer.body.upload === null)
    throw new Error(`draft of ${id} failed: ${answer.text}`);
  const target = answer.body.upload;
  const put = await fetch(target.url, {
    method: 'PUT',
    headers: target.headers,
    body: bytes as Uint8Array<ArrayBuffer>,
  });
  if (put.status !== 200) throw new Error(`upload of ${id} failed: ${put.status} ${await put.text()}`);
  return { id };
}

/** A case whose bundle is built from the version id it is drafted under. */
export function bundleCase(
  family: 'bundle' | 'manifests',
  name: string,
  bytes: (id: string, context: CorpusContext) => Buffer,
  expect: HostileCase['expect'],
): HostileCase {
  return {
    family,
    name,
    prepare: (context) => {
      const id = context.nextVersion();
      return draftAndUpload(context, id, bytes(id, context));
    },
    attack: (context, prepared) =>
      api(context, 'POST', `/v1/apps/${context.app}/versions/${(prepared as Uploaded).id}/publish`, {
        body: {},
      }),
    expect,
  };
}

const gz = (entries: RawEntry[]) => gzipSync(rawTar(entries));

/** version.yml and one good manifest, plus `extra` entries. */
function withEntries(id: string, app: string, extra: RawEntry[]): Buffer {
  return gz([
    { name: 'version.yml', content: versionYml(app, id) },
    { name: 'manifests/deployment.yaml', content: DEPLOYMENT(app) },
    ...extra,
  ]);
}

export function bundleCases(): HostileCase[] {
  const refused = { status: [400], code: 'invalid_bundle' };
  const cases: HostileCase[] = [];
  const entry = (name: string, extra: (c: CorpusContext) => RawEntry[]) =>
    cases.push(bundleCase('bundle', name, (id, c) => withEntries(id, c.app, extra(c)), refused));
  const marker = (c: CorpusContext, what: string) => {
    const target = `/tmp/reliability-escape-${process.pid}-${what}`;
    c.escapeTargets.add(target);
    return target;
  };

  // Tar slip.
  entry('an entry named ../escape.yaml', () => [{ name: '../escape.yaml', content: DEPLOYMENT('x') }]);
  entry('an entry named manifests/../../escape.yaml', () => [
    { name: 'manifests/../../escape.yaml', content: DEPLOYMENT('x') },
  ]);
  entry('an entry with an absolute path', (c) => [{ name: marker(c, 'absolute'), content: DEPLOYMENT('x') }]);
  entry('an entry with a Windows drive path', () => [{ name: 'C:/escape.yaml', content: DEPLOYMENT('x') }]);
  entry('an entry with backslashes', () => [
    { name: 'manifests\\..\\..\\escape.yaml', content: DEPLOYMENT('x') },
  ]);
  entry('a symlink to /etc/passwd', () => [
    { name: 'manifests/passwd.yaml', type: '2', linkname: '/etc/passwd' },
  ]);
  entry('a symlink out of the bundle', (c) => [
    { name: 'manifests/out.yaml', type: '2', linkname: `../../../../..${marker(c, 'symlink')}` },
  ]);
  entry('a symlink folder, then a file through it', (c) => [
    { name: 'manifests/dir', type: '2', linkname: '/tmp' },
    { name: `manifests/dir/${marker(c, 'through').split('/').pop()}.yaml`, content: DEPLOYMENT('x') },
  ]);
  entry('a hard link to version.yml', () => [
    { name: 'manifests/hard.yaml', type: '1', linkname: 'version.yml' },
  ]);
  entry('a hard link to /etc/shadow', () => [
    { name: 'manifests/shadow.yaml', type: '1', linkname: '/etc/shadow' },
  ]);
  entry('a character device', () => [{ name: 'manifests/null.yaml', type: '3' }]);
  entry('a block device', () => [{ name: 'manifests/sda.yaml', type: '4' }]);
  entry('a FIFO', () => [{ name: 'manifests/fifo.yaml', type: '6' }]);
  entry('a contiguous file', () => [{ name: 'manifests/c.yaml', type: '7', content: DEPLOYMENT('x') }]);
  entry('a PAX path of ../../escape.yaml', () => [
    { name: 'manifests/ok.yaml', pax: { path: '../../escape.yaml' }, content: DEPLOYMENT('x') },
  ]);
  entry('a PAX path that is absolute', (c) => [
    { name: 'manifests/ok.yaml', pax: { path: marker(c, 'pax') }, content: DEPLOYMENT('x') },
  ]);
  entry('a PAX link path to /etc/passwd on a symlink', () => [
    { name: 'manifests/l.yaml', type: '2', pax: { linkpath: '/etc/passwd' } },
  ]);
  entry('a GNU long name of ../../escape.yaml', () => [
    { name: '././@LongLink', type: 'L', content: `../../${'x'.repeat(120)}.yaml\u0000` },
    { name: 'manifests/short.yaml', content: DEPLOYMENT('x') },
  ]);

  // Names.
  entry('a name with a NUL byte (PAX)', () => [
    { name: 'manifests/ok.yaml', pax: { path: 'manifests/a\u0000b.yaml' }, content: DEPLOYMENT('x') },
  ]);
  entry('a Cyrillic look-alike name', () => [
    { name: 'manifests/dеployment.yaml', content: DEPLOYMENT('x') },
  ]);
  entry('a name with a right-to-left override', () => [
    { name: 'manifests/\u202elmay.txt', content: DEPLOYMENT('x') },
  ]);
  entry('a hidden file', () => [{ name: 'manifests/.hidden.yaml', content: DEPLOYMENT('x') }]);
  entry('a .git folder', () => [{ name: 'manifests/.git/config.yaml', content: '[core]\n' }]);
  entry('a file outside manifests/', () => [{ name: 'README.yaml', content: 'x: 1\n' }]);
  entry('a duplicate entry', (c) => [{ name: 'manifests/deployment.yaml', content: DEPLOYMENT(c.app) }]);
  entry('entries differing only in case', (c) => [
    { name: 'manifests/Deployment.yaml', content: DEPLOYMENT(`${c.app}-2`) },
  ]);
  entry('a file where a folder is', () => [
    { name: 'manifests/sub', content: 'x' },
    { name: 'manifests/sub/x.yaml', content: DEPLOYMENT('x') },
  ]);
  entry('a second version.yml', (c) => [{ name: './version.yml', content: versionYml(c.app, 'other') }]);
  entry('1,001 files', () =>
    Array.from({ length: 1001 }, (_, i) => ({ name: `manifests/f${i}.yaml`, content: `# ${i}\n` })),
  );
  entry('a file whose header lies about its size', () => [
    { name: 'manifests/lie.yaml', content: DEPLOYMENT('x'), size: 999_999_999 },
  ]);

  // Archives that are not what they claim.
  const raw = (name: string, bytes: (id: string, c: CorpusContext) => Buffer) =>
    cases.push(bundleCase('bundle', name, bytes, refused));
  raw('a gzip bomb (64 MiB of zeros)', (id, c) =>
    gzipSync(
      Buffer.concat([
        rawTar([{ name: 'version.yml', content: versionYml(c.app, id) }]).subarray(0, -1024),
        rawTar([{ name: 'manifests/bomb.yaml', content: Buffer.alloc(64 * 1024 * 1024) }]),
      ]),
      { level: 9 },
    ),
  );
  raw('a truncated gzip', (id, c) => withEntries(id, c.app, []).subarray(0, 100));
  raw('plain text', () => Buffer.from('this is not a bundle\n'));
  raw('a zip file', () => Buffer.from('504b0304140000000800', 'hex'));
  raw('gzip of random bytes', () =>
    gzipSync(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251))),
  );
  raw('an empty tar', () => gzipSync(Buffer.alloc(1024)));

  // version.yml that lies.
  const version = (name: string, text: (id: string, app: string) => string | Buffer) =>
    raw(`version.yml ${name}`, (id, c) =>
      gz([
        { name: 'version.yml', content: text(id, c.app) },
        { name: 'manifests/deployment.yaml', content: DEPLOYMENT(c.app) },
      ]),
    );
  version('missing', () => Buffer.alloc(0));
  version('for another app', (id) => versionYml('another-app', id));
  version('for another version', (_id, app) => versionYml(app, 'another-version'));
  version('with an unknown field', (id, app) => versionYml(app, id, 'admin: true\n'));
  version('in Latin-1, not UTF-8', (id, app) =>
    Buffer.from(versionYml(app, id).replace('committer: null', 'committer: Jos\u00e9'), 'latin1'),
  );
  version('with two documents', (id, app) => `${versionYml(app, id)}---\n${versionYml(app, id)}`);
  version(
    'with an alias bomb',
    (id, app) =>
      `${versionYml(app, id)}a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`,
  );
  version('of 20 KiB', (id, app) => `${versionYml(app, id)}# ${'x'.repeat(20 * 1024)}\n`);
  version('that is a list', () => '- app\n- id\n');
  // The first entry (the missing-version.yml case) must have no version.yml at all.
  const missing = cases.find((c) => c.name === 'version.yml missing');
  if (missing) {
    cases[cases.indexOf(missing)] = bundleCase(
      'bundle',
      'version.yml missing',
      (_id, c) => gz([{ name: 'manifests/deployment.yaml', content: DEPLOYMENT(c.app) }]),
      refused,
    );
  }
  return cases;
}
