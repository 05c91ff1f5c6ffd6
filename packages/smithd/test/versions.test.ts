/**
 * Versions: draft, signed upload, publish, list and read; and "bad input, nothing lost": every
 * hostile or broken request gets a clear 4xx and leaves database, storage and GitOps repo as they were.
 */
import { sampleManifests } from '@deploysmith/testkit/gitops';
import { rawRequest } from '@deploysmith/testkit/raw-http';
import { publishVersion, type SmithdHandle, startSmithd } from '@deploysmith/testkit/smithd';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, draftAndUpload, metadata, sha256 } from './support/api.ts';
import { describeOnly } from './support/backend.ts';
import { storedKeys } from './support/state.ts';
import { type TarEntry, tarGz, versionYml } from './support/tar.ts';
import { expectNothingChanged } from './support/unchanged.ts';

let smithd: SmithdHandle;
const decoder = new TextDecoder();
const [deployment, service] = sampleManifests('hello', 'v1').map((file) => decoder.decode(file.content));

beforeAll(async () => {
  smithd = await startSmithd();
  expect(
    (
      await call(smithd, 'POST', '/v1/apps', {
        body: { name: 'hello', environments: ['staging', 'production'] },
      })
    ).status,
  ).toBe(201);
});

afterAll(async () => {
  await smithd?.stop();
});

function bundle(id: string, extra: TarEntry[] = [], options: { app?: string } = {}): Buffer {
  return tarGz([
    { name: 'version.yml', content: versionYml(options.app ?? 'hello', id) },
    { name: 'manifests/', type: '5' },
    { name: 'manifests/deployment.yaml', content: deployment ?? '' },
    ...extra,
  ]);
}

function publishedFiles(): Promise<string[]> {
  return storedKeys(smithd, 'published/');
}

describe('drafting and publishing', () => {
  it('drafts a version with an upload URL valid 5 minutes, bound to the sha256 and size', async () => {
    const bytes = bundle('1.0.0', [{ name: 'manifests/service.yaml', content: service ?? '' }]);
    const draft = await call(smithd, 'POST', '/v1/apps/hello/versions', {
      body: { id: '1.0.0', metadata: metadata(), sha256: sha256(bytes), size: bytes.length },
    });
    expect(draft.status).toBe(201);
    expect(draft.body.version).toMatchObject({
      app: 'hello',
      id: '1.0.0',
      state: 'draft',
      publishedAt: null,
      deployedTo: [],
    });
    const upload = draft.body.upload;
    expect(upload.method).toBe('PUT');
    expect(upload.headers['content-length']).toBe(String(bytes.length));
    const ttl = new Date(upload.expiresAt).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(4 * 60_000);
    expect(ttl).toBeLessThanOrEqual(5 * 60_000);
    const put = await request(upload.url, { method: 'PUT', headers: upload.headers, body: bytes });
    expect(put.statusCode).toBe(200);
    await put.body.dump();

    const published = await call(smithd, 'POST', '/v1/apps/hello/versions/1.0.0/publish', { body: {} });
    expect(published.status).toBe(200);
    expect(published.body.version).toMatchObject({
      state: 'published',
      files: ['deployment.yaml', 'service.yaml'],
    });
    expect(published.body.deployments).toEqual([]);
    expect(published.body.skipped).toEqual([]);
    expect(await publishedFiles()).toEqual(['published/hello/1.0.0/bundle.tar.gz']);
    // The draft is gone: its upload URL leads nowhere now.
    expect(await storedKeys(smithd, 'drafts/hello/1.0.0/')).toEqual([]);

    const one = await call(smithd, 'GET', '/v1/apps/hello/versions/1.0.0');
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      id: '1.0.0',
      state: 'published',
      files: ['deployment.yaml', 'service.yaml'],
    });
  });

  it('drafts, uploads, publishes and reads a version whose id has 128 characters, the most allowed', async () => {
    const id = `2.0.0-${'a'.repeat(122)}`;
    const { draft, upload } = await draftAndUpload(smithd, 'hello', id, bundle(id));
    expect(draft.status).toBe(201);
    expect(upload?.status).toBe(200);
    const published = await call(smithd, 'POST', `/v1/apps/hello/versions/${id}/publish`, { body: {} });
    expect(published.status).toBe(200);
    const read = await call(smithd, 'GET', `/v1/apps/hello/versions/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id, state: 'published' });
  });

  it('answers a repeated publish with the same response and changes nothing', async () => {
    const first = await call(smithd, 'GET', '/v1/apps/hello/versions/1.0.0');
    const again = await expectNothingChanged(smithd, () =>
      call(smithd, 'POST', '/v1/apps/hello/versions/1.0.0/publish', { body: {} }),
    );
    expect(again.status).toBe(200);
    expect(again.body.version).toEqual(first.body);
  });

  it('needs no upload to draft an already published version with the same content', async () => {
    const bytes = bundle('1.0.0', [{ name: 'manifests/service.yaml', content: service ?? '' }]);
    const again = await expectNothingChanged(smithd, () =>
      call(smithd, 'POST', '/v1/apps/hello/versions', {
        body: { id: '1.0.0', metadata: metadata(), sha256: sha256(bytes), size: bytes.length },
      }),
    );
    expect(again.status).toBe(200);
    expect(again.body.upload).toBeNull();
    expect(again.body.version.state).toBe('published');
  });

  it('refuses to draft a published version with other content (409) and changes nothing', async () => {
    const other = bundle('1.0.0');
    const conflict = await expectNothingChanged(smithd, () =>
      call(smithd, 'POST', '/v1/apps/hello/versions', {
        body: { id: '1.0.0', metadata: metadata(), sha256: sha256(other), size: other.length },
      }),
    );
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('conflict');
    expect(conflict.body.error.message).toMatch(/already published with different content/);
  });

  it('replaces an unpublished draft with a new one and a new URL', async () => {
    const first = bundle('2.0.0');
    const second = bundle('2.0.0', [{ name: 'manifests/service.yaml', content: service ?? '' }]);
    const a = await draftAndUpload(smithd, 'hello', '2.0.0', first);
    expect(a.upload?.status).toBe(200);
    const b = await call(smithd, 'POST', '/v1/apps/hello/versions', {
      body: { id: '2.0.0', metadata: metadata(), sha256: sha256(second), size: second.length },
    });
    expect(b.status).toBe(201);
    expect(b.body.upload.url).not.toBe(a.draft.body.upload?.url);
    // The first upload was for other content: publishing now needs the new bundle.
    const early = await call(smithd, 'POST', '/v1/apps/hello/versions/2.0.0/publish', { body: {} });
    expect(early.status).toBe(400);
    expect(early.body.error.message).toMatch(/No bundle was uploaded/);
    const put = await request(b.body.upload.url, {
      method: 'PUT',
      headers: b.body.upload.headers,
      body: second,
    });
    expect(put.statusCode).toBe(200);
    await put.body.dump();
    const published = await call(smithd, 'POST', '/v1/apps/hello/versions/2.0.0/publish', { body: {} });
    expect(published.status).toBe(200);
    expect(published.body.version.sha256).toBe(sha256(second));
  });
});

// smithd checks its own upload URLs (disk storage). s3rver checks neither the signature, the expiry,
// the x-amz-checksum-sha256 nor the length of a pre-signed PUT (AWS S3 does, as the URL signs them),
// so on S3 these are proven by the publish-time check below and the upload target's unit test.
describeOnly('sqlite-disk', 'signed uploads', () => {
  it('refuses a tampered or foreign upload URL with 403 upload_denied and stores nothing', async () => {
    const bytes = bundle('3.0.0');
    const draft = await call(smithd, 'POST', '/v1/apps/hello/versions', {
      body: { id: '3.0.0', metadata: metadata(), sha256: sha256(bytes), size: bytes.length },
    });
    const url = new URL(draft.body.upload.url);
    const tampered = [
      (u: URL) => u.searchParams.set('signature', '0'.repeat(64)),
      (u: URL) => u.searchParams.set('size', String(bytes.length + 1)),
      (u: URL) => u.searchParams.set('expires', String(Number(u.searchParams.get('expires')) + 3600)),
      (u: URL) => u.searchParams.delete('signature'),
      (u: URL) => {
        u.pathname = u.pathname.replace('3.0.0', '3.0.1');
      },
    ];
    for (const change of tampered) {
      const target = new URL(url);
      change(target);
      const answer = await expectNothingChanged(smithd, async () => {
        const response = await request(target, {
          method: 'PUT',
          headers: draft.body.upload.headers,
          body: bytes,
        });
        return {
          status: response.statusCode,
          body: (await response.body.json()) as { error: { code: string } },
        };
      });
      expect(answer.status, target.search).toBe(403);
      expect(answer.body.error.code).toBe('upload_denied');
    }
  });

  it('refuses an upload whose bytes are not the declared bundle (400) and stores nothing', async () => {
    const bytes = bundle('3.0.0');
    const draft = await call(smithd, 'POST', '/v1/apps/hello/versions', {
      body: { id: '3.0.0', metadata: metadata(), sha256: sha256(bytes), size: bytes.length },
    });
    const other = Buffer.from(bytes);
    other[other.length - 1] = (other[other.length - 1] ?? 0) ^ 0xff;
    const answer = await expectNothingChanged(smithd, async () => {
      const response = await request(draft.body.upload.url, {
        method: 'PUT',
        headers: draft.body.upload.headers,
        body: other,
      });
      return {
        status: response.statusCode,
        body: (await response.body.json()) as { error: { code: string; message: string } },
      };
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'checksum_mismatch' });
    expect(answer.body.error.message).toMatch(/sha256/);
  });
});

// What S3 itself would refuse at upload time, s3rver stores: publishing must catch it all the same.
describeOnly('postgres-s3', 'uploads to S3', () => {
  it('hands out a pre-signed PUT valid 5 minutes that signs the sha256 and the length', async () => {
    const bytes = bundle('3.0.0');
    const draft = await call(smithd, 'POST', '/v1/apps/hello/versions', {
      body: { id: '3.0.0', metadata: metadata(), sha256: sha256(bytes), size: bytes.length },
    });
    expect(draft.status).toBe(201);
    const { url, headers } = draft.body.upload;
    expect(headers).toEqual({
      'content-type': 'application/gzip',
      'content-length': String(bytes.length),
      'x-amz-checksum-sha256': Buffer.from(sha256(bytes), 'hex').toString('base64'),
    });
    const query = new URL(url).searchParams;
    expect(query.get('X-Amz-Expires')).toBe('300');
    expect(query.get('X-Amz-SignedHeaders')?.split(';')).toEqual(
      expect.arrayContaining(['content-length', 'host', 'x-amz-checksum-sha256']),
    );
    expect(new URL(url).pathname).toMatch(/\/drafts\/hello\/3\.0\.0\/bundle\.tar\.gz$/);
  });

  it('refuses to publish bytes that are not the declared bundle, and publishes nothing', async () => {
    const bytes = bundle('3.1.0');
    const other = Buffer.from(bytes);
    other[other.length - 1] = (other[other.length - 1] ?? 0) ^ 0xff;
    const draft = await call(smithd, 'POST', '/v1/apps/hello/versions', {
      body: { id: '3.1.0', metadata: metadata(), sha256: sha256(bytes), size: bytes.length },
    });
    const put = await request(draft.body.upload.url, {
      method: 'PUT',
      headers: draft.body.upload.headers,
      body: other,
    });
    await put.body.dump();
    expect(put.statusCode).toBe(200);
    const answer = await expectNothingChanged(smithd, () =>
      call(smithd, 'POST', '/v1/apps/hello/versions/3.1.0/publish', { body: {} }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('checksum_mismatch');
    expect(answer.body.error.message).toMatch(/sha256/);
    expect(await storedKeys(smithd, 'published/hello/3.1.0/')).toEqual([]);
    expect((await call(smithd, 'GET', '/v1/apps/hello/versions/3.1.0')).body.state).toBe('draft');
  });

  it('refuses to publish an upload of another length', async () => {
    const bytes = bundle('3.2.0');
    const draft = await call(smithd, 'POST', '/v1/apps/hello/versions', {
      body: { id: '3.2.0', metadata: metadata(), sha256: sha256(bytes), size: bytes.length },
    });
    const longer = Buffer.concat([bytes, Buffer.from('tail')]);
    const put = await request(draft.body.upload.url, {
      method: 'PUT',
      headers: { ...draft.body.upload.headers, 'content-length': String(longer.length) },
      body: longer,
    });
    await put.body.dump();
    const answer = await expectNothingChanged(smithd, () =>
      call(smithd, 'POST', '/v1/apps/hello/versions/3.2.0/publish', { body: {} }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(
      new RegExp(`${longer.length} bytes; the draft declared ${bytes.length}`),
    );
  });
});

describe('bad input, nothing lost', () => {
  const hostile: [what: string, entries: TarEntry[], status: number, message: RegExp][] = [
    [
      'an absolute path',
      [{ name: '/manifests/evil.yaml', content: 'a: 1\n' }],
      400,
      /evil\.yaml.* absolute path/,
    ],
    ['a path with ..', [{ name: 'manifests/../../evil.yaml', content: 'a: 1\n' }], 400, /evil\.yaml.*"\.\."/],
    [
      'a symbolic link',
      [{ name: 'manifests/link.yaml', type: '2', linkname: '/etc/passwd' }],
      400,
      /symbolic link/,
    ],
    [
      'a hard link',
      [{ name: 'manifests/hard.yaml', type: '1', linkname: 'manifests/deployment.yaml' }],
      400,
      /hard link/,
    ],
    ['a character device', [{ name: 'manifests/tty.yaml', type: '3' }], 400, /device/],
    ['a block device', [{ name: 'manifests/disk.yaml', type: '4' }], 400, /device/],
    ['a FIFO', [{ name: 'manifests/pipe.yaml', type: '6' }], 400, /FIFO/],
    [
      'YAML that is not UTF-8',
      [{ name: 'manifests/latin1.yaml', content: Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0xff, 0x0a]) }],
      422,
      /latin1\.yaml.*UTF-8/,
    ],
    [
      'an alias bomb',
      [
        {
          name: 'manifests/bomb.yaml',
          content: [
            'apiVersion: v1',
            'kind: ConfigMap',
            'metadata: { name: bomb }',
            'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
            ...Array.from({ length: 9 }, (_, i) => {
              const prev = String.fromCharCode(97 + i);
              const next = String.fromCharCode(98 + i);
              return `${next}: &${next} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`;
            }),
            'data: { k: "v" }',
          ].join('\n'),
        },
      ],
      422,
      /bomb\.yaml.*alias/,
    ],
    [
      'more files than allowed',
      Array.from({ length: 1001 }, (_, i) => ({
        name: `manifests/cm-${i}.yaml`,
        content: `kind: ConfigMap\n`,
      })),
      400,
      /more than 1000 entries/,
    ],
    [
      'a manifest Kubernetes would reject',
      [
        {
          name: 'manifests/bad.yaml',
          content: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bad\nspec:\n  replicas: two\n',
        },
      ],
      422,
      /bad\.yaml/,
    ],
    ['a file outside manifests/', [{ name: 'evil.sh', content: 'rm -rf /\n' }], 400, /evil\.sh/],
  ];

  hostile.forEach(([what, entries, status, message], index) => {
    it(`rejects a bundle with ${what}, keeps the draft a draft and publishes nothing`, async () => {
      const id = `bad-${index}`;
      const bytes = bundle(id, entries);
      const { upload } = await draftAndUpload(smithd, 'hello', id, bytes);
      expect(upload?.status).toBe(200);
      const before = await publishedFiles();
      const answer = await expectNothingChanged(smithd, () =>
        call(smithd, 'POST', `/v1/apps/hello/versions/${id}/publish`, { body: {} }),
      );
      expect(answer.status, JSON.stringify(answer.body)).toBe(status);
      expect(answer.body.error.message).toMatch(message);
      expect(await publishedFiles()).toEqual(before);
      expect((await call(smithd, 'GET', `/v1/apps/hello/versions/${id}`)).body.state).toBe('draft');
    });
  });

  it('rejects a bundle that is not a gzip tar', async () => {
    const bytes = Buffer.from('this is not a bundle');
    await draftAndUpload(smithd, 'hello', 'not-tar', bytes);
    const answer = await expectNothingChanged(smithd, () =>
      call(smithd, 'POST', '/v1/apps/hello/versions/not-tar/publish', { body: {} }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid_bundle');
  });

  it('rejects a bundle whose version.yml names another app or version', async () => {
    const bytes = bundle('4.0.0', [], { app: 'other' });
    await draftAndUpload(smithd, 'hello', '4.0.0', bytes);
    const answer = await expectNothingChanged(smithd, () =>
      call(smithd, 'POST', '/v1/apps/hello/versions/4.0.0/publish', { body: {} }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(/version\.yml is for other 4\.0\.0/);
  });

  it('names the file, document and field of an invalid manifest', async () => {
    const bytes = bundle('4.1.0', [
      {
        name: 'manifests/two.yaml',
        content: `${service}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: second\nspec:\n  ports: nope\n`,
      },
    ]);
    await draftAndUpload(smithd, 'hello', '4.1.0', bytes);
    const answer = await call(smithd, 'POST', '/v1/apps/hello/versions/4.1.0/publish', { body: {} });
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe('invalid_manifests');
    expect(answer.body.error.details).toContainEqual(
      expect.objectContaining({
        file: 'two.yaml',
        document: 1,
        field: expect.stringContaining('spec.ports'),
      }),
    );
  });

  it('answers 413 to an oversized JSON body before reading it', async () => {
    // Only the headers are sent: smithd answers on the declared length and closes the connection,
    // and a client still writing the body could see that close (EPIPE) before the answer.
    const { host } = new URL(smithd.url);
    const answer = await expectNothingChanged(smithd, () =>
      rawRequest(
        smithd.url,
        `POST /v1/apps HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${smithd.apiKey}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${2 * 1024 * 1024}\r\n\r\n{"name":"big",`,
      ),
    );
    expect(answer.status).toBe(413);
    expect(answer.text).toContain('payload_too_large');
  });

  it('answers 413 to a draft declaring a bundle larger than the limit', async () => {
    const answer = await expectNothingChanged(smithd, () =>
      call(smithd, 'POST', '/v1/apps/hello/versions', {
        body: { id: 'huge', metadata: metadata(), sha256: 'c'.repeat(64), size: 65 * 1024 * 1024 },
      }),
    );
    expect(answer.status).toBe(413);
  });

  it('answers invalid input with the field it is about', async () => {
    const badName = await expectNothingChanged(smithd, () =>
      call(smithd, 'POST', '/v1/apps', { body: { name: 'Not_A_Name', environments: ['staging'] } }),
    );
    expect(badName.status).toBe(400);
    expect(badName.body.error).toMatchObject({ code: 'invalid_input' });
    expect(badName.body.error.message).toContain('body.name');
    const extra = await call(smithd, 'POST', '/v1/apps', {
      body: { name: 'ok', environments: ['staging'], colour: 'red' },
    });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain('colour');
    const broken = await call(smithd, 'POST', '/v1/apps', { raw: '{"name": ' });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('invalid_input');
    const badId = await call(smithd, 'GET', '/v1/apps/hello/versions/..');
    expect([400, 404]).toContain(badId.status);
    const badCursor = await call(smithd, 'GET', '/v1/apps/hello/versions?cursor=garbage');
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.details[0].field).toBe('cursor');
  });

  it('refuses a path segment that is too long or badly encoded with invalid_input, however long', async () => {
    const tooLong = await expectNothingChanged(smithd, () =>
      call(smithd, 'POST', `/v1/apps/hello/versions/${'1'.repeat(129)}/publish`, { body: {} }),
    );
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toMatchObject({ code: 'invalid_input' });
    expect(tooLong.body.error.message).toContain('params.id');
    for (const path of [`/v1/apps/hello/versions/${'1'.repeat(5000)}`, '/v1/apps/hello/versions/%zz']) {
      const answer = await call(smithd, 'GET', path);
      expect(answer.status, path).toBe(400);
      expect(answer.body.error, path).toMatchObject({ code: 'invalid_input', hint: expect.any(String) });
      expect(answer.body.error.message, path).not.toContain('1111');
    }
  });

  it('answers 404 for an unknown app or version', async () => {
    for (const path of [
      '/v1/apps/nope',
      '/v1/apps/nope/versions',
      '/v1/apps/hello/versions/9.9.9',
      '/v1/apps/nope/deployments',
    ]) {
      const answer = await call(smithd, 'GET', path);
      expect(answer.status, path).toBe(404);
      expect(answer.body.error.code).toBe('not_found');
    }
    const publish = await expectNothingChanged(smithd, () =>
      call(smithd, 'POST', '/v1/apps/hello/versions/9.9.9/publish', { body: {} }),
    );
    expect(publish.status).toBe(404);
  });

  it('never answers an unexpected error with its internals', async () => {
    const answer = await call(smithd, 'GET', '/no/such/route');
    expect(answer.status).toBe(404);
    expect(JSON.stringify(answer.body)).not.toMatch(/at .*\.js/);
  });
});

describe('listing versions', () => {
  let list: SmithdHandle;

  beforeAll(async () => {
    list = await startSmithd();
    const branches = ['main', 'feature/login', 'main', 'feature/search', 'release/1.x'];
    for (const [i, branch] of branches.entries()) {
      await publishVersion(list, 'web', `v${i + 1}`, sampleManifests('web', `v${i + 1}`), { branch });
    }
    await call(list, 'POST', '/v1/apps/web/versions', {
      body: { id: 'v6', metadata: metadata({ branch: 'main' }), sha256: 'd'.repeat(64), size: 100 },
    });
    expect(
      (
        await call(list, 'POST', '/v1/apps/web/deployments', {
          body: { version: 'v3', environment: 'staging' },
        })
      ).status,
    ).toBe(201);
  });

  afterAll(async () => {
    await list?.stop();
  });

  it('lists newest first, in pages, with where each version runs', async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? '?limit=2' : `?limit=2&cursor=${cursor}`;
      const page = await call(list, 'GET', `/v1/apps/web/versions${query}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      ids.push(...page.body.items.map((v: { id: string }) => v.id));
      for (const version of page.body.items) {
        expect(version.deployedTo).toEqual(version.id === 'v3' ? ['staging'] : []);
        expect(version.files).toBeUndefined();
      }
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor !== null);
    expect(ids).toEqual(['v6', 'v5', 'v4', 'v3', 'v2', 'v1']);
    expect(pages).toBe(3);
  });

  it('filters by branch, with a glob', async () => {
    const feature = await call(
      list,
      'GET',
      `/v1/apps/web/versions?branch=${encodeURIComponent('feature/*')}`,
    );
    expect(feature.body.items.map((v: { id: string }) => v.id)).toEqual(['v4', 'v2']);
    const main = await call(list, 'GET', '/v1/apps/web/versions?branch=main&limit=1');
    expect(main.body.items.map((v: { id: string }) => v.id)).toEqual(['v6']);
    const next = await call(
      list,
      'GET',
      `/v1/apps/web/versions?branch=main&limit=5&cursor=${main.body.nextCursor}`,
    );
    expect(next.body.items.map((v: { id: string }) => v.id)).toEqual(['v3', 'v1']);
    expect(next.body.nextCursor).toBeNull();
  });

  it('shows a new publish, draft and deploy on the next read, never a stale page', async () => {
    const ids = async () =>
      (await call(list, 'GET', '/v1/apps/web/versions?limit=3')).body.items.map(
        (v: { id: string; deployedTo: string[] }) => `${v.id}:${v.deployedTo.join(',')}`,
      );
    expect(await ids()).toEqual(['v6:', 'v5:', 'v4:']);
    expect(
      (
        await call(list, 'POST', '/v1/apps/web/deployments', {
          body: { version: 'v5', environment: 'production' },
        })
      ).status,
    ).toBe(201);
    expect(await ids()).toEqual(['v6:', 'v5:production', 'v4:']);
    await publishVersion(list, 'web', 'v7', sampleManifests('web', 'v7'), { branch: 'main' });
    expect(await ids()).toEqual(['v7:', 'v6:', 'v5:production']);
    await call(list, 'POST', '/v1/apps/web/versions', {
      body: { id: 'v8', metadata: metadata({ branch: 'main' }), sha256: 'd'.repeat(64), size: 100 },
    });
    expect(await ids()).toEqual(['v8:', 'v7:', 'v6:']);
  });
});
