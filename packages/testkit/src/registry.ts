/**
 * A real OCI registry for tests: Debian's `docker-registry` (CNCF distribution) on a free loopback
 * port with its storage in a temp dir, optionally behind htpasswd basic auth or behind the bearer
 * token flow (the registry verifies JWTs that a small token service here signs with a throwaway
 * key and certificate made by openssl). Images are seeded by
 * pushing blobs and manifests over the distribution API, so no Docker daemon is needed; what the
 * registry reports as a manifest's digest is read back from the registry itself.
 */
import { createHash, randomBytes, sign } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import bcrypt from 'bcryptjs';
import { execa, type ResultPromise } from 'execa';
import { request } from 'undici';
import { freePort, waitFor } from './ports.ts';
import { requireTool } from './tools.ts';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST_V2 = 'application/vnd.docker.distribution.manifest.v2+json';

export interface RegistryAuth {
  username: string;
  password: string;
}

export interface PushedManifest {
  /** The digest the registry reports (`Docker-Content-Digest`) for the pushed manifest. */
  digest: string;
  mediaType: string;
}

export interface TokenRequest {
  scope: string;
  /** The user that asked, or undefined when anonymous. */
  username: string | undefined;
}

export interface TestRegistry {
  /** `127.0.0.1:PORT`: the registry part of image references. */
  host: string;
  url: string;
  auth: RegistryAuth | undefined;
  /** With `tokenAuth`: every request the token service answered, in order. */
  tokenRequests: TokenRequest[];
  /** Pushes a single-platform image (`oci` manifest or Docker `v2` manifest) under a tag. */
  pushImage(
    repository: string,
    tag: string,
    options?: { format?: 'oci' | 'docker'; seed?: string },
  ): Promise<PushedManifest>;
  /** Pushes one image per platform and an OCI index over them under the tag. */
  pushIndex(
    repository: string,
    tag: string,
    options?: { platforms?: string[]; seed?: string },
  ): Promise<PushedManifest>;
  /** Puts the manifest that `from` names (a tag or digest) under another tag, byte for byte. */
  retag(repository: string, from: string, toTag: string): Promise<PushedManifest>;
  /** What the registry itself says the digest of `repository:reference` is (from a GET). */
  reportedDigest(repository: string, reference: string): Promise<string>;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface StartRegistryOptions {
  /** Require these credentials (htpasswd, bcrypt) on every request: basic auth. */
  auth?: RegistryAuth;
  /**
   * Bearer tokens instead: the registry sends clients to a token service that grants pull access
   * to these credentials only (anonymous requests get a token without access).
   */
  tokenAuth?: RegistryAuth;
}

export async function startRegistry(options: StartRegistryOptions = {}): Promise<TestRegistry> {
  const binary = requireTool('docker-registry');
  const dir = await mkdtemp(join(tmpdir(), 'deploysmith-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const url = `http://${host}`;
  const auth = options.auth ?? options.tokenAuth;
  const tokenRequests: TokenRequest[] = [];
  let tokens: TokenService | undefined;

  const config = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    // As production registries do: blob metadata from memory rather than the disk on every HEAD.
    '  cache:',
    '    blobdescriptor: inmemory',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${host}`,
    `  secret: ${randomBytes(16).toString('hex')}`,
  ];
  if (options.tokenAuth) {
    tokens = await startTokenService(dir, options.tokenAuth, tokenRequests);
    config.push(
      'auth:',
      '  token:',
      `    realm: ${tokens.realm}`,
      `    service: ${TOKEN_SERVICE}`,
      `    issuer: ${TOKEN_ISSUER}`,
      `    rootcertbundle: ${tokens.certificateFile}`,
    );
  } else if (auth) {
    await writeFile(join(dir, 'htpasswd'), `${auth.username}:${bcrypt.hashSync(auth.password, 6)}\n`);
    config.push('auth:', '  htpasswd:', '    realm: deploysmith-test', `    path: ${join(dir, 'htpasswd')}`);
  }
  await writeFile(join(dir, 'config.yml'), `${config.join('\n')}\n`);

  let stderr = '';
  const child: ResultPromise = execa(binary, ['serve', join(dir, 'config.yml')], {
    reject: false,
    extendEnv: false,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    stdin: 'ignore',
    stdout: 'ignore',
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  let exited = false;
  void child.then(() => {
    exited = true;
  });

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      await child;
    }
    await tokens?.close();
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await waitFor(`docker-registry on ${host}`, async () => {
      if (exited) throw new Error(`docker-registry exited: ${stderr.trim()}`);
      const response = await request(`${url}/v2/`);
      await response.body.dump();
      return response.statusCode === 200 || response.statusCode === 401;
    });
  } catch (error) {
    await stop();
    throw error;
  }

  const basic = auth
    ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`
    : undefined;
  // Seeding signs its own push tokens rather than going through the token service it observes.
  const authorization = (repository: string) =>
    tokens ? `Bearer ${tokens.mint('seeder', repository, ['pull', 'push'])}` : basic;
  const headers = (repository: string, extra: Record<string, string> = {}) => {
    const value = authorization(repository);
    return { ...extra, ...(value ? { authorization: value } : {}) };
  };

  const pushBlob = async (repository: string, content: Buffer): Promise<string> => {
    const digest = sha256(content);
    const start = await request(`${url}/v2/${repository}/blobs/uploads/`, {
      method: 'POST',
      headers: headers(repository),
    });
    await start.body.dump();
    if (start.statusCode !== 202)
      throw new Error(`blob upload to ${repository} answered ${start.statusCode}`);
    const location = new URL(String(start.headers.location), url);
    location.searchParams.set('digest', digest);
    const put = await request(location, {
      method: 'PUT',
      headers: headers(repository, {
        'content-type': 'application/octet-stream',
        'content-length': String(content.length),
      }),
      body: content,
    });
    await put.body.dump();
    if (put.statusCode !== 201) throw new Error(`blob PUT to ${repository} answered ${put.statusCode}`);
    return digest;
  };

  const putManifest = async (
    repository: string,
    reference: string,
    body: Buffer,
    mediaType: string,
  ): Promise<PushedManifest> => {
    const response = await request(`${url}/v2/${repository}/manifests/${reference}`, {
      method: 'PUT',
      headers: headers(repository, { 'content-type': mediaType }),
      body,
    });
    const text = await response.body.text();
    if (response.statusCode !== 201)
      throw new Error(`manifest PUT ${repository}:${reference} answered ${response.statusCode}: ${text}`);
    return { digest: String(response.headers['docker-content-digest']), mediaType };
  };

  const getManifest = async (repository: string, reference: string) => {
    const response = await request(`${url}/v2/${repository}/manifests/${reference}`, {
      headers: headers(repository, { accept: [OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_V2].join(', ') }),
    });
    const body = Buffer.from(await response.body.arrayBuffer());
    if (response.statusCode !== 200)
      throw new Error(`manifest GET ${repository}:${reference} answered ${response.statusCode}`);
    return {
      body,
      digest: String(response.headers['docker-content-digest']),
      mediaType: String(response.headers['content-type']),
    };
  };

  const pushPlatformImage = async (
    repository: string,
    format: 'oci' | 'docker',
    seed: string,
    platform: string,
  ) => {
    const [os = 'linux', architecture = 'amd64'] = platform.split('/');
    const layerContent = Buffer.from(`layer of ${repository} ${seed} ${platform}\n`);
    const layer = gzipSync(layerContent, { level: 9 });
    const imageConfig = Buffer.from(
      JSON.stringify({
        architecture,
        os,
        config: {},
        rootfs: { type: 'layers', diff_ids: [sha256(layerContent)] },
      }),
    );
    const [configDigest, layerDigest] = await Promise.all([
      pushBlob(repository, imageConfig),
      pushBlob(repository, layer),
    ]);
    const oci = format === 'oci';
    const mediaType = oci ? OCI_MANIFEST : DOCKER_MANIFEST_V2;
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType,
        config: {
          mediaType: oci
            ? 'application/vnd.oci.image.config.v1+json'
            : 'application/vnd.docker.container.image.v1+json',
          digest: configDigest,
          size: imageConfig.length,
        },
        layers: [
          {
            mediaType: oci
              ? 'application/vnd.oci.image.layer.v1.tar+gzip'
              : 'application/vnd.docker.image.rootfs.diff.tar.gzip',
            digest: layerDigest,
            size: layer.length,
          },
        ],
      }),
    );
    return { manifest, mediaType, os, architecture };
  };

  return {
    host,
    url,
    auth,
    tokenRequests,
    async pushImage(repository, tag, { format = 'oci', seed = tag } = {}) {
      const image = await pushPlatformImage(repository, format, seed, 'linux/amd64');
      return putManifest(repository, tag, image.manifest, image.mediaType);
    },
    async pushIndex(repository, tag, { platforms = ['linux/amd64', 'linux/arm64'], seed = tag } = {}) {
      const manifests = [];
      for (const platform of platforms) {
        const image = await pushPlatformImage(repository, 'oci', seed, platform);
        const pushed = await putManifest(repository, sha256(image.manifest), image.manifest, image.mediaType);
        manifests.push({
          mediaType: image.mediaType,
          digest: pushed.digest,
          size: image.manifest.length,
          platform: { os: image.os, architecture: image.architecture },
        });
      }
      const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }));
      return putManifest(repository, tag, index, OCI_INDEX);
    },
    async retag(repository, from, toTag) {
      const source = await getManifest(repository, from);
      return putManifest(repository, toTag, source.body, source.mediaType);
    },
    async reportedDigest(repository, reference) {
      return (await getManifest(repository, reference)).digest;
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

function sha256(content: Buffer): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

const TOKEN_SERVICE = 'deploysmith-test-registry';
const TOKEN_ISSUER = 'deploysmith-test-issuer';

interface TokenService {
  realm: string;
  certificateFile: string;
  mint(subject: string, repository: string, actions: string[]): string;
  close(): Promise<void>;
}

/**
 * The token service of the bearer flow: checks basic credentials, records what was asked, and
 * answers with an ES256 JWT carrying its certificate in `x5c`, which the registry trusts through
 * `rootcertbundle`.
 */
async function startTokenService(
  dir: string,
  credentials: RegistryAuth,
  requests: TokenRequest[],
): Promise<TokenService> {
  const openssl = requireTool('openssl');
  const keyFile = join(dir, 'token.key');
  const certificateFile = join(dir, 'token.crt');
  await execa(openssl, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=deploysmith-test-token',
    '-keyout',
    keyFile,
    '-out',
    certificateFile,
  ]);
  const key = await readFile(keyFile, 'utf8');
  const certificatePem = await readFile(certificateFile, 'utf8');
  const x5c = certificatePem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

  const mint = (subject: string, repository: string, actions: string[]) => {
    const now = Math.floor(Date.now() / 1000);
    const header = base64url(JSON.stringify({ alg: 'ES256', typ: 'JWT', x5c: [x5c] }));
    const claims = base64url(
      JSON.stringify({
        iss: TOKEN_ISSUER,
        sub: subject,
        aud: TOKEN_SERVICE,
        iat: now,
        nbf: now - 30,
        exp: now + 300,
        jti: randomBytes(8).toString('hex'),
        access: actions.length === 0 ? [] : [{ type: 'repository', name: repository, actions }],
      }),
    );
    const signature = sign('sha256', Buffer.from(`${header}.${claims}`), { key, dsaEncoding: 'ieee-p1363' });
    return `${header}.${claims}.${base64url(signature)}`;
  };

  const expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://token');
    const scope = url.searchParams.get('scope') ?? '';
    const header = req.headers.authorization;
    const username =
      header === undefined
        ? undefined
        : Buffer.from(header.replace(/^Basic /, ''), 'base64')
            .toString()
            .split(':')[0];
    requests.push({ scope, username });
    if (header !== undefined && header !== expected) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ details: 'wrong credentials' }));
      return;
    }
    const repository = /^repository:([^:]+):/.exec(scope)?.[1] ?? '';
    const token = mint(username ?? 'anonymous', repository, header === undefined ? [] : ['pull']);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token, access_token: token, expires_in: 300 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    certificateFile,
    mint,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
