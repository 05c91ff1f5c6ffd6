/**
 * `pilar resolve` (the built CLI) against a real registry: every kind of image, digests as the
 * registry reports them, and every way of passing credentials.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { EXIT } from '@deploysmith/core';
import { runCli } from '@deploysmith/testkit/bin';
import { type PushedManifest, startRegistry, type TestRegistry } from '@deploysmith/testkit/registry';
import { type TempDir, tempDir } from '@deploysmith/testkit/temp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let temp: TempDir;
const noDocker = () => ({ DOCKER_CONFIG: join(temp.path, 'no-docker') });

beforeAll(async () => {
  temp = await tempDir('pilar-resolve-');
});
afterAll(() => temp?.remove());

describe('pilar resolve against an open registry', () => {
  let registry: TestRegistry;
  const pushed: Record<string, PushedManifest> = {};

  beforeAll(async () => {
    registry = await startRegistry();
    pushed.single = await registry.pushImage('favn-feature-patientlist', '1.4.0');
    pushed.index = await registry.pushIndex('favn-feature-appointments', '2.0.0');
    pushed.docker = await registry.pushImage('legacy/app', '1', { format: 'docker' });
    pushed.retag = await registry.retag('favn-feature-patientlist', '1.4.0', 'latest');
  });
  afterAll(() => registry?.stop());

  it('prints one "REF DIGEST" line per reference, with the digests the registry reports', async () => {
    const refs = [
      `${registry.host}/favn-feature-patientlist:1.4.0`,
      `${registry.host}/favn-feature-appointments:2.0.0`,
      `${registry.host}/legacy/app:1`,
      `${registry.host}/favn-feature-patientlist:latest`,
    ];
    const result = await runCli('pilar', ['resolve', ...refs], { env: noDocker() });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(
      [
        `${refs[0]} ${await registry.reportedDigest('favn-feature-patientlist', '1.4.0')}`,
        `${refs[1]} ${await registry.reportedDigest('favn-feature-appointments', '2.0.0')}`,
        `${refs[2]} ${await registry.reportedDigest('legacy/app', '1')}`,
        `${refs[3]} ${await registry.reportedDigest('favn-feature-patientlist', 'latest')}`,
      ].join('\n'),
    );
    // The retagged image and the multi-platform index resolve as pushed.
    expect(result.stdout).toContain(`${refs[3]} ${pushed.single?.digest}`);
    expect(result.stdout).toContain(`${refs[1]} ${pushed.index?.digest}`);
  });

  it('prints one JSON document with --json', async () => {
    const ref = `${registry.host}/favn-feature-appointments:2.0.0`;
    const result = await runCli('pilar', ['resolve', ref, '--json'], { env: noDocker() });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      {
        ref,
        name: `${registry.host}/favn-feature-appointments`,
        digest: pushed.index?.digest,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        pinned: `${registry.host}/favn-feature-appointments@${pushed.index?.digest}`,
      },
    ]);
  });

  it('fails with exit 2 for an unknown tag, naming the ref', async () => {
    const ref = `${registry.host}/favn-feature-patientlist:9.9.9`;
    const result = await runCli('pilar', ['resolve', ref], { env: noDocker() });
    expect(result.exitCode).toBe(EXIT.rejected);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(ref);
    expect(result.stderr).toContain('[not_found]');
  });

  it('fails with exit 1 for a malformed reference', async () => {
    const result = await runCli('pilar', ['resolve', 'Not A Ref'], { env: noDocker() });
    expect(result.exitCode).toBe(EXIT.invalidInput);
    expect(result.stderr).toContain('Invalid image reference "Not A Ref"');
  });
});

describe('pilar resolve against a registry with basic auth', () => {
  let registry: TestRegistry;
  let ref: string;
  let digest: string;

  beforeAll(async () => {
    registry = await startRegistry({ auth: { username: 'release-bot', password: 's3cret pass' } });
    digest = (await registry.pushIndex('favn-feature-patientlist', '1.5.0')).digest;
    ref = `${registry.host}/favn-feature-patientlist:1.5.0`;
  });
  afterAll(() => registry?.stop());

  it('refuses without credentials with exit 4 and says how to log in', async () => {
    const result = await runCli('pilar', ['resolve', ref], { env: noDocker() });
    expect(result.exitCode).toBe(EXIT.unauthorized);
    expect(result.stderr).toContain(ref);
    expect(result.stderr).toContain(`docker login ${registry.host}`);
  });

  it('resolves with --registry-username and the password on stdin', async () => {
    const result = await runCli(
      'pilar',
      ['resolve', ref, '--registry-username', 'release-bot', '--registry-password-stdin'],
      {
        env: noDocker(),
        input: 's3cret pass\n',
      },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`${ref} ${digest}`);
  });

  it('resolves with DEPLOYSMITH_REGISTRY_USERNAME and DEPLOYSMITH_REGISTRY_PASSWORD', async () => {
    const result = await runCli('pilar', ['resolve', ref], {
      env: {
        ...noDocker(),
        DEPLOYSMITH_REGISTRY_USERNAME: 'release-bot',
        DEPLOYSMITH_REGISTRY_PASSWORD: 's3cret pass',
      },
    });
    expect(result.stdout).toBe(`${ref} ${digest}`);
  });

  it('resolves with an auths entry of the docker config in DOCKER_CONFIG', async () => {
    const dir = join(temp.path, 'docker-auths');
    await mkdir(dir, { recursive: true });
    const auth = Buffer.from('release-bot:s3cret pass').toString('base64');
    await writeFile(join(dir, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth } } }));
    const result = await runCli('pilar', ['resolve', ref], { env: { DOCKER_CONFIG: dir } });
    expect(result.stdout).toBe(`${ref} ${digest}`);
  });

  it('resolves with a credential helper named in credHelpers', async () => {
    const dir = join(temp.path, 'docker-helper');
    await mkdir(join(dir, 'bin'), { recursive: true });
    const helper = join(dir, 'bin', 'docker-credential-test');
    await writeFile(
      helper,
      `#!/bin/sh\nread server\n[ "$server" = "${registry.host}" ] || { echo "credentials not found in native keychain"; exit 1; }\necho '{"ServerURL":"${registry.host}","Username":"release-bot","Secret":"s3cret pass"}'\n`,
    );
    await chmod(helper, 0o755);
    await writeFile(join(dir, 'config.json'), JSON.stringify({ credHelpers: { [registry.host]: 'test' } }));
    const result = await runCli('pilar', ['resolve', ref], {
      env: { DOCKER_CONFIG: dir, PATH: `${join(dir, 'bin')}${delimiter}${process.env.PATH ?? ''}` },
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`${ref} ${digest}`);
  });
});
