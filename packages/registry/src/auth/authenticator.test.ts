import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type TempDir, tempDir } from '@deploysmith/testkit/temp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../client.ts';
import { registryBaseUrl } from '../resolve/endpoint.ts';

const DIGEST = `sha256:${'d'.repeat(64)}`;

describe('identity tokens (docker login to ACR and the like)', () => {
  let server: Server;
  let host: string;
  let dir: TempDir;
  const grants: URLSearchParams[] = [];

  beforeAll(async () => {
    dir = await tempDir('registry-identity-');
    // A registry and its token service in one: bearer challenge, refresh-token grant, then the manifest.
    server = createServer((req, res) => {
      if (req.url === '/oauth2/token' && req.method === 'POST') {
        let body = '';
        req.on('data', (chunk: Buffer) => {
          body += chunk.toString('utf8');
        });
        req.on('end', () => {
          const form = new URLSearchParams(body);
          grants.push(form);
          const ok =
            form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === 'refresh-123';
          res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
          res.end(JSON.stringify(ok ? { access_token: 'access-456' } : {}));
        });
        return;
      }
      if (req.headers.authorization !== 'Bearer access-456') {
        res.writeHead(401, {
          'www-authenticate': `Bearer realm="http://${host}/oauth2/token",service="${host}"`,
        });
        res.end();
        return;
      }
      res.writeHead(200, {
        'docker-content-digest': DIGEST,
        'content-type': 'application/vnd.oci.image.index.v1+json',
      });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await dir.remove();
  });

  it('exchanges the identity token of the docker config for an access token', async () => {
    const configDir = join(dir.path, 'docker');
    await mkdir(configDir, { recursive: true });
    await writeFile(
      join(configDir, 'config.json'),
      JSON.stringify({ auths: { [host]: { auth: '', identitytoken: 'refresh-123' } } }),
    );
    const client = new RegistryClient({ dockerConfigDir: configDir, env: {} });
    try {
      expect((await client.resolve(`${host}/team/app:1`)).digest).toBe(DIGEST);
    } finally {
      await client.close();
    }
    expect(grants).toHaveLength(1);
    expect(Object.fromEntries(grants[0] ?? [])).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'refresh-123',
      client_id: 'deploysmith',
      scope: 'repository:team/app:pull',
      service: host,
    });
  });
});

describe('registry endpoints', () => {
  it('sends Docker Hub requests to registry-1.docker.io over HTTPS', () => {
    expect(registryBaseUrl('docker.io', new Set()).href).toBe('https://registry-1.docker.io/');
  });

  it('uses plain HTTP for loopback hosts and insecure registries only', () => {
    expect(registryBaseUrl('localhost:5000', new Set()).protocol).toBe('http:');
    expect(registryBaseUrl('[::1]:5000', new Set()).protocol).toBe('http:');
    expect(registryBaseUrl('registry.lan:5000', new Set()).protocol).toBe('https:');
    expect(registryBaseUrl('registry.lan:5000', new Set(['registry.lan:5000'])).protocol).toBe('http:');
    expect(registryBaseUrl('registry.lan:5000', new Set(['registry.lan'])).protocol).toBe('http:');
  });
});
