/**
 * The registry client against a real registry (Debian's docker-registry on a loopback port):
 * anonymous, htpasswd basic auth, and the bearer-token flow.
 */
import { createHash } from 'node:crypto';
import { DeploySmithError } from '@deploysmith/core';
import { freePort } from '@deploysmith/testkit/ports';
import { type PushedManifest, startRegistry, type TestRegistry } from '@deploysmith/testkit/registry';
import { requireTool } from '@deploysmith/testkit/tools';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../src/index.ts';

async function failure(promise: Promise<unknown>): Promise<DeploySmithError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeploySmithError);
  return error as DeploySmithError;
}

describe('an anonymous registry', () => {
  let registry: TestRegistry;
  let client: RegistryClient;
  const seeded: Record<string, PushedManifest> = {};

  beforeAll(async () => {
    registry = await startRegistry();
    seeded.single = await registry.pushImage('team/single', '1.0.0');
    seeded.index = await registry.pushIndex('team/multi', '2.0.0');
    seeded.docker = await registry.pushImage('team/docker', 'v2', { format: 'docker' });
    seeded.retagged = await registry.retag('team/single', '1.0.0', 'stable');
    client = new RegistryClient();
  });
  afterAll(async () => {
    await client?.close();
    await registry?.stop();
  });

  it('resolves a single-platform OCI image to the digest the registry reports', async () => {
    const resolved = await client.resolve(`${registry.host}/team/single:1.0.0`);
    expect(resolved).toEqual({
      ref: `${registry.host}/team/single:1.0.0`,
      name: `${registry.host}/team/single`,
      digest: await registry.reportedDigest('team/single', '1.0.0'),
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      pinned: `${registry.host}/team/single@${seeded.single?.digest}`,
    });
  });

  it('resolves a multi-platform image to the digest of its index, not of one platform', async () => {
    const resolved = await client.resolve(`${registry.host}/team/multi:2.0.0`);
    expect(resolved.digest).toBe(await registry.reportedDigest('team/multi', '2.0.0'));
    expect(resolved.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    // skopeo, reading the raw index bytes, agrees.
    const skopeo = requireTool('skopeo');
    const { stdout } = await execa(
      skopeo,
      ['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/team/multi:2.0.0`],
      {
        encoding: 'buffer',
      },
    );
    expect(resolved.digest).toBe(`sha256:${createHash('sha256').update(stdout).digest('hex')}`);
  });

  it('resolves a Docker v2 manifest and reports its media type', async () => {
    const resolved = await client.resolve(`${registry.host}/team/docker:v2`);
    expect(resolved.digest).toBe(seeded.docker?.digest);
    expect(resolved.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    const skopeo = requireTool('skopeo');
    const { stdout } = await execa(skopeo, [
      'inspect',
      '--tls-verify=false',
      '--format',
      '{{.Digest}}',
      `docker://${registry.host}/team/docker:v2`,
    ]);
    expect(stdout.trim()).toBe(resolved.digest);
  });

  it('resolves a retagged image to the same digest as the original tag', async () => {
    const [original, retagged] = await client.resolveMany([
      `${registry.host}/team/single:1.0.0`,
      `${registry.host}/team/single:stable`,
    ]);
    expect(retagged?.digest).toBe(original?.digest);
    expect(retagged?.digest).toBe(await registry.reportedDigest('team/single', 'stable'));
  });

  it('verifies that a digest reference exists, and refuses one that does not', async () => {
    const digest = seeded.index?.digest ?? '';
    const resolved = await client.resolve(`${registry.host}/team/multi@${digest}`);
    expect(resolved.digest).toBe(digest);
    const missing = `sha256:${'0'.repeat(64)}`;
    const error = await failure(client.resolve(`${registry.host}/team/multi@${missing}`));
    expect(error.code).toBe('not_found');
    expect(error.message).toContain(`${registry.host}/team/multi@${missing}`);
  });

  it('says not found for an unknown tag or repository, naming the ref', async () => {
    const tag = await failure(client.resolve(`${registry.host}/team/single:9.9.9`));
    expect(tag.code).toBe('not_found');
    expect(tag.message).toContain(`${registry.host}/team/single:9.9.9`);
    expect(tag.message).toContain('tag "9.9.9"');
    const repo = await failure(client.resolve(`${registry.host}/nobody/here:1`));
    expect(repo.code).toBe('not_found');
  });

  it('resolves many refs in the order given, each distinct one once', async () => {
    const refs = Array.from(
      { length: 30 },
      (_, i) =>
        [
          `${registry.host}/team/single:1.0.0`,
          `${registry.host}/team/multi:2.0.0`,
          `${registry.host}/team/docker:v2`,
        ][i % 3] ?? '',
    );
    const resolved = await client.resolveMany(refs);
    expect(resolved.map((r) => r.ref)).toEqual(refs);
    expect(new Set(resolved.map((r) => r.digest)).size).toBe(3);
  });

  it('lists every failed ref when several fail', async () => {
    const error = await failure(
      client.resolveMany([
        `${registry.host}/team/single:1.0.0`,
        `${registry.host}/team/single:nope1`,
        `${registry.host}/team/single:nope2`,
      ]),
    );
    expect(error.code).toBe('not_found');
    expect(error.message).toContain('2 of 3 image references could not be resolved');
    expect(error.details.map((d) => d.field)).toEqual([
      `${registry.host}/team/single:nope1`,
      `${registry.host}/team/single:nope2`,
    ]);
  });

  it('names the registry when it cannot be reached', async () => {
    const port = await freePort();
    const unreachable = new RegistryClient({ retry: { retries: 0 } });
    const error = await failure(unreachable.resolve(`127.0.0.1:${port}/team/app:1`));
    await unreachable.close();
    expect(error.code).toBe('server_unreachable');
    expect(error.message).toContain(`Cannot reach registry 127.0.0.1:${port}`);
    expect(error.message).toContain(`127.0.0.1:${port}/team/app:1`);
  });

  it('uses HTTPS for a registry that is not loopback or marked insecure', async () => {
    // .invalid never resolves (RFC 2606); what matters is the scheme the client tried.
    const port = await freePort();
    const tls = new RegistryClient({ retry: { retries: 0 }, timeoutMs: 2000 });
    const error = await failure(tls.resolve(`registry.invalid:${port}/team/app:1`));
    await tls.close();
    expect(error.message).toContain(`https://registry.invalid:${port}`);
    const insecure = new RegistryClient({
      retry: { retries: 0 },
      timeoutMs: 2000,
      insecureRegistries: [`registry.invalid:${port}`],
    });
    const plain = await failure(insecure.resolve(`registry.invalid:${port}/team/app:1`));
    await insecure.close();
    expect(plain.message).toContain(`http://registry.invalid:${port}`);
  });
});

describe('a registry with basic auth (htpasswd)', () => {
  let registry: TestRegistry;
  let digest: string;

  beforeAll(async () => {
    registry = await startRegistry({ auth: { username: 'ci', password: 'correct horse' } });
    digest = (await registry.pushIndex('team/private', '1.0.0')).digest;
  });
  afterAll(() => registry?.stop());

  it('resolves with credentials given as flags', async () => {
    const client = new RegistryClient({
      credentials: [{ registry: registry.host, username: 'ci', password: 'correct horse' }],
    });
    try {
      expect((await client.resolve(`${registry.host}/team/private:1.0.0`)).digest).toBe(digest);
    } finally {
      await client.close();
    }
  });

  it('resolves with credentials from the environment', async () => {
    const client = new RegistryClient({
      env: {
        DEPLOYSMITH_REGISTRY_USERNAME: 'ci',
        DEPLOYSMITH_REGISTRY_PASSWORD: 'correct horse',
        DOCKER_CONFIG: '/nonexistent',
      },
    });
    try {
      expect((await client.resolve(`${registry.host}/team/private:1.0.0`)).digest).toBe(digest);
    } finally {
      await client.close();
    }
  });

  it('refuses without credentials, naming the ref and how to log in', async () => {
    const client = new RegistryClient({ env: { DOCKER_CONFIG: '/nonexistent' } });
    const error = await failure(client.resolve(`${registry.host}/team/private:1.0.0`));
    await client.close();
    expect(error.code).toBe('unauthorized');
    expect(error.message).toContain(`${registry.host}/team/private:1.0.0`);
    expect(error.hint).toContain(`docker login ${registry.host}`);
  });

  it('refuses wrong credentials', async () => {
    const client = new RegistryClient({ credentials: [{ username: 'ci', password: 'wrong' }], env: {} });
    const error = await failure(client.resolve(`${registry.host}/team/private:1.0.0`));
    await client.close();
    expect(error.code).toBe('unauthorized');
  });
});

describe('a registry with bearer tokens', () => {
  let registry: TestRegistry;

  beforeAll(async () => {
    registry = await startRegistry({ tokenAuth: { username: 'bot', password: 'token-pass' } });
    await registry.pushImage('team/a', '1');
    await registry.pushImage('team/a', '2');
    await registry.pushIndex('team/b', '1');
  });
  afterAll(() => registry?.stop());

  it('gets one token per repository scope and reuses it for every ref in that repository', async () => {
    registry.tokenRequests.length = 0;
    const client = new RegistryClient({
      credentials: [{ username: 'bot', password: 'token-pass' }],
      env: {},
    });
    try {
      const resolved = await client.resolveMany([
        `${registry.host}/team/a:1`,
        `${registry.host}/team/a:2`,
        `${registry.host}/team/b:1`,
      ]);
      expect(resolved[0]?.digest).toBe(await registry.reportedDigest('team/a', '1'));
      expect(resolved[2]?.digest).toBe(await registry.reportedDigest('team/b', '1'));
      // Later refs in a known registry get their token before the first request.
      await client.resolve(`${registry.host}/team/a:1`);
    } finally {
      await client.close();
    }
    const scopes = registry.tokenRequests.map((r) => r.scope).sort();
    expect(scopes).toEqual(['repository:team/a:pull', 'repository:team/b:pull']);
    expect(registry.tokenRequests.every((r) => r.username === 'bot')).toBe(true);
  });

  it('asks anonymously without credentials and reports the refusal', async () => {
    registry.tokenRequests.length = 0;
    const client = new RegistryClient({ env: { DOCKER_CONFIG: '/nonexistent' } });
    const error = await failure(client.resolve(`${registry.host}/team/a:1`));
    await client.close();
    expect(error.code).toBe('unauthorized');
    expect(registry.tokenRequests[0]?.username).toBeUndefined();
  });

  it('reports credentials the token service refuses', async () => {
    const client = new RegistryClient({ credentials: [{ username: 'bot', password: 'nope' }], env: {} });
    const error = await failure(client.resolve(`${registry.host}/team/a:1`));
    await client.close();
    expect(error.code).toBe('unauthorized');
    expect(error.message).toContain('refused the credentials');
    expect(error.message).toContain(`${registry.host}/team/a:1`);
  });
});
