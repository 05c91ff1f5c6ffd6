import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { DeploySmithError } from '@deploysmith/core';
import { type TempDir, tempDir } from '@deploysmith/testkit/temp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialStore } from './credentials.ts';
import { credentialFromDockerConfig, readDockerConfig, runCredentialHelper } from './docker-config.ts';

let dir: TempDir;
let env: NodeJS.ProcessEnv;

// A real credential helper program: answers for two servers, fails loudly for a third.
const HELPER = `#!/bin/sh
[ "$1" = get ] || exit 2
read server
case "$server" in
  registry.example.com) printf '{"ServerURL":"%s","Username":"helper-user","Secret":"helper-secret"}\\n' "$server" ;;
  https://index.docker.io/v1/) printf '{"ServerURL":"%s","Username":"hub-user","Secret":"hub-secret"}\\n' "$server" ;;
  tokens.example.com) printf '{"ServerURL":"%s","Username":"<token>","Secret":"refresh-me"}\\n' "$server" ;;
  broken.example.com) echo "keychain is locked" >&2; exit 3 ;;
  *) echo "credentials not found in native keychain"; exit 1 ;;
esac
`;

beforeAll(async () => {
  dir = await tempDir('registry-creds-');
  await mkdir(join(dir.path, 'bin'));
  await writeFile(join(dir.path, 'bin', 'docker-credential-test'), HELPER);
  await chmod(join(dir.path, 'bin', 'docker-credential-test'), 0o755);
  env = { PATH: `${join(dir.path, 'bin')}${delimiter}${process.env.PATH ?? ''}` };
});
afterAll(() => dir.remove());

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('docker config credentials', () => {
  it('reads base64 auth entries, keyed by host or by URL', async () => {
    const config = {
      auths: {
        'ghcr.io': { auth: b64('octo:pat:with:colons') },
        'https://registry.dips.no/v1/': { auth: b64('ci:s3cret') },
      },
    };
    expect(await credentialFromDockerConfig(config, 'ghcr.io', env)).toEqual({
      username: 'octo',
      password: 'pat:with:colons',
    });
    expect(await credentialFromDockerConfig(config, 'registry.dips.no', env)).toEqual({
      username: 'ci',
      password: 's3cret',
    });
    expect(await credentialFromDockerConfig(config, 'quay.io', env)).toBeUndefined();
  });

  it('finds Docker Hub credentials under https://index.docker.io/v1/', async () => {
    const config = { auths: { 'https://index.docker.io/v1/': { username: 'hub', password: 'pw' } } };
    expect(await credentialFromDockerConfig(config, 'docker.io', env)).toEqual({
      username: 'hub',
      password: 'pw',
    });
  });

  it('keeps an identity token for the refresh-token exchange', async () => {
    const config = { auths: { 'myacr.azurecr.io': { auth: '', identitytoken: 'eyJrefresh' } } };
    expect(await credentialFromDockerConfig(config, 'myacr.azurecr.io', env)).toMatchObject({
      identityToken: 'eyJrefresh',
    });
  });

  it('asks the registry credHelpers entry first, running docker-credential-<name> get', async () => {
    const config = {
      auths: { 'registry.example.com': { auth: b64('stale:entry') } },
      credHelpers: { 'registry.example.com': 'test' },
    };
    expect(await credentialFromDockerConfig(config, 'registry.example.com', env)).toEqual({
      username: 'helper-user',
      password: 'helper-secret',
    });
  });

  it('falls back to credsStore for registries without an auths entry, with the Docker Hub server URL', async () => {
    const config = { credsStore: 'test' };
    expect(await credentialFromDockerConfig(config, 'docker.io', env)).toEqual({
      username: 'hub-user',
      password: 'hub-secret',
    });
    expect(await credentialFromDockerConfig(config, 'unknown.example.com', env)).toBeUndefined();
  });

  it('reads a helper "<token>" answer as an identity token', async () => {
    expect(await runCredentialHelper('test', 'tokens.example.com', env)).toEqual({
      username: '',
      password: '',
      identityToken: 'refresh-me',
    });
  });

  it('fails clearly when a helper fails or is not installed', async () => {
    await expect(runCredentialHelper('test', 'broken.example.com', env)).rejects.toThrow(
      /docker-credential-test get failed.*keychain is locked/,
    );
    const missing = await runCredentialHelper('nonexistent', 'registry.example.com', env).catch(
      (error: unknown) => error,
    );
    expect(missing).toBeInstanceOf(DeploySmithError);
    expect((missing as DeploySmithError).message).toContain('docker-credential-nonexistent is not on PATH');
  });

  it('reads config.json from DOCKER_CONFIG, and treats a missing file as empty', async () => {
    const configDir = join(dir.path, 'docker');
    await mkdir(configDir, { recursive: true });
    expect(await readDockerConfig(configDir)).toEqual({});
    await writeFile(
      join(configDir, 'config.json'),
      JSON.stringify({ auths: { 'r.example': { auth: b64('a:b') } } }),
    );
    const store = new CredentialStore({ env: { ...env, DOCKER_CONFIG: configDir } });
    expect(await store.get('r.example')).toEqual({ username: 'a', password: 'b' });
  });

  it('rejects a config.json that is not JSON, naming the file', async () => {
    const configDir = join(dir.path, 'bad-docker');
    await mkdir(configDir, { recursive: true });
    await writeFile(join(configDir, 'config.json'), '{ not json');
    await expect(readDockerConfig(configDir)).rejects.toThrow(
      `${join(configDir, 'config.json')} is not valid JSON`,
    );
  });
});

describe('credential precedence', () => {
  it('prefers flags over the environment over the docker config', async () => {
    const configDir = join(dir.path, 'precedence');
    await mkdir(configDir, { recursive: true });
    await writeFile(
      join(configDir, 'config.json'),
      JSON.stringify({ auths: { 'r.example': { auth: b64('config:pw') } } }),
    );
    const withEnv = { ...env, DEPLOYSMITH_REGISTRY_USERNAME: 'env', DEPLOYSMITH_REGISTRY_PASSWORD: 'pw' };
    const flags = new CredentialStore({
      env: withEnv,
      dockerConfigDir: configDir,
      credentials: [{ registry: 'r.example', username: 'flag', password: 'pw' }],
    });
    expect((await flags.get('r.example'))?.username).toBe('flag');
    expect(
      (await new CredentialStore({ env: withEnv, dockerConfigDir: configDir }).get('r.example'))?.username,
    ).toBe('env');
    expect((await new CredentialStore({ env, dockerConfigDir: configDir }).get('r.example'))?.username).toBe(
      'config',
    );
  });

  it('limits environment credentials to DEPLOYSMITH_REGISTRY_HOST when it is set', async () => {
    const store = new CredentialStore({
      env: {
        ...env,
        DEPLOYSMITH_REGISTRY_USERNAME: 'env',
        DEPLOYSMITH_REGISTRY_PASSWORD: 'pw',
        DEPLOYSMITH_REGISTRY_HOST: 'mine.example',
      },
      dockerConfigDir: join(dir.path, 'none'),
    });
    expect((await store.get('mine.example'))?.username).toBe('env');
    expect(await store.get('other.example')).toBeUndefined();
  });
});
