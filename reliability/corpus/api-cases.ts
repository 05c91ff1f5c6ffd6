/**
 * Hostile requests to the JSON API: bad names in bodies and paths, JSON type confusion, unknown
 * fields, prototype keys, malformed and oversized bodies, bad queries and headers. Each must be
 * refused with a 4xx whose JSON error names the problem, writing nothing.
 */
import { type CallOptions, call } from '../http.ts';
import type { CorpusContext, HostileCase, Outcome } from './case.ts';
import { raw } from './http-cases.ts';
import { BAD_LABELS, BAD_VERSIONS } from './names.ts';

export async function api(
  context: CorpusContext,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Outcome> {
  const answer = await call(context.smithd, method, path, options);
  return {
    status: answer.status,
    code: answer.body?.error?.code,
    message: answer.body?.error?.message,
    text: answer.text,
  };
}

const seg = encodeURIComponent;
const BAD_INPUT = { status: [400], code: 'invalid_input' };

function metadata(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    gitSha: '0123456789abcdef0123456789abcdef01234567',
    branch: 'main',
    tag: null,
    committer: 'ci',
    buildNumber: null,
    pipelineUrl: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

const SHA = 'a'.repeat(64);

function draftBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: '9.9.9', metadata: metadata(), sha256: SHA, size: 1000, ...overrides };
}

/** Values of every JSON type but the one a field wants. */
const NOT_A_STRING: [string, unknown][] = [
  ['number', 123],
  ['boolean', true],
  ['null', null],
  ['array', ['staging']],
  ['object', { name: 'x' }],
];

export function apiCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  const add = (name: string, attack: HostileCase['attack'], expect: HostileCase['expect'] = BAD_INPUT) =>
    cases.push({ family: 'api', name, attack, expect });

  // Names, in bodies and in paths.
  for (const [what, name] of BAD_LABELS) {
    add(`register an app named with ${what}`, (c) =>
      api(c, 'POST', '/v1/apps', { body: { name, environments: ['staging'] } }),
    );
    add(`register an app with an environment named with ${what}`, (c) =>
      api(c, 'POST', '/v1/apps', { body: { name: 'corpus-new', environments: [name] } }),
    );
    add(`deploy to an environment named with ${what}`, (c) =>
      api(c, 'POST', `/v1/apps/${c.app}/deployments`, { body: { version: c.published, environment: name } }),
    );
    if (name !== '' && name !== '.' && name !== '..')
      add(`read an app named with ${what} in the path`, (c) => api(c, 'GET', `/v1/apps/${seg(name)}`), {
        status: [400, 404],
      });
  }
  for (const [what, id] of BAD_VERSIONS) {
    add(`draft a version id with ${what}`, (c) =>
      api(c, 'POST', `/v1/apps/${c.app}/versions`, { body: draftBody({ id }) }),
    );
    add(`deploy a version id with ${what}`, (c) =>
      api(c, 'POST', `/v1/apps/${c.app}/deployments`, { body: { version: id, environment: 'staging' } }),
    );
    if (id !== '' && id !== '..')
      add(
        `publish a version id with ${what} in the path`,
        (c) => api(c, 'POST', `/v1/apps/${c.app}/versions/${seg(id)}/publish`, { body: {} }),
        { status: [400, 404] },
      );
  }

  // JSON type confusion: every field of a register, a draft and a deploy given the wrong type.
  for (const [what, value] of NOT_A_STRING) {
    add(`register with a name that is a ${what}`, (c) =>
      api(c, 'POST', '/v1/apps', { body: { name: value, environments: ['staging'] } }),
    );
    add(`deploy with a version that is a ${what}`, (c) =>
      api(c, 'POST', `/v1/apps/${c.app}/deployments`, { body: { version: value, environment: 'staging' } }),
    );
    add(`deploy with an environment that is a ${what}`, (c) =>
      api(c, 'POST', `/v1/apps/${c.app}/deployments`, { body: { version: c.published, environment: value } }),
    );
    add(`draft with a sha256 that is a ${what}`, (c) =>
      api(c, 'POST', `/v1/apps/${c.app}/versions`, { body: draftBody({ sha256: value }) }),
    );
    add(`draft with metadata.createdAt that is a ${what}`, (c) =>
      api(c, 'POST', `/v1/apps/${c.app}/versions`, {
        body: draftBody({ metadata: metadata({ createdAt: value }) }),
      }),
    );
  }
  for (const [what, value] of [
    ['a string', 'staging'],
    ['a number', 1],
    ['null', null],
    ['an object', { 0: 'staging' }],
    ['an array of numbers', [1, 2]],
    ['an array of arrays', [['staging']]],
    ['65 environments', Array.from({ length: 65 }, (_, i) => `env-${i}`)],
    ['a duplicate', ['staging', 'staging']],
    ['nothing', []],
  ] as [string, unknown][]) {
    add(`register with environments that are ${what}`, (c) =>
      api(c, 'POST', '/v1/apps', { body: { name: 'corpus-new', environments: value } }),
    );
  }
  for (const [what, value] of [
    ['the string "true"', 'true'],
    ['the string "false"', 'false'],
    ['the number 1', 1],
    ['the number 0', 0],
    ['null', null],
    ['an array', [true]],
  ] as [string, unknown][]) {
    add(`deploy with dryRun ${what}`, (c) =>
      api(c, 'POST', `/v1/apps/${c.app}/deployments`, {
        body: { version: c.published, environment: 'production', dryRun: value },
      }),
    );
  }
  for (const [what, value] of [
    ['zero', 0],
    ['negative', -1],
    ['a fraction', 1.5],
    ['a numeric string', '1000'],
    ['1e400 (infinity)', '1e400'],
  ] as [string, unknown][]) {
    add(`draft with a size that is ${what}`, (c) =>
      api(c, 'POST', `/v1/apps/${c.app}/versions`, { body: draftBody({ size: value }) }),
    );
  }
  add(
    'draft a bundle larger than the limit',
    (c) => api(c, 'POST', `/v1/apps/${c.app}/versions`, { body: draftBody({ size: 2 ** 40 }) }),
    { status: [413], code: 'payload_too_large' },
  );
  for (const [what, sha] of [
    ['upper-case hex', 'A'.repeat(64)],
    ['63 digits', 'a'.repeat(63)],
    ['65 digits', 'a'.repeat(65)],
    ['non-hex', 'g'.repeat(64)],
  ] as [string, string][]) {
    add(`draft with a sha256 of ${what}`, (c) =>
      api(c, 'POST', `/v1/apps/${c.app}/versions`, { body: draftBody({ sha256: sha }) }),
    );
  }
  for (const [what, meta] of [
    ['a git sha that is not hex', { gitSha: 'not-a-sha' }],
    ['a git sha with a newline', { gitSha: '0123456\n' }],
    ['a date that is not a date', { createdAt: 'yesterday' }],
    ['a 256-character branch', { branch: 'b'.repeat(256) }],
    ['an empty branch', { branch: '' }],
    ['a 2049-character pipeline URL', { pipelineUrl: `https://x/${'p'.repeat(2040)}` }],
    ['an unknown field', { extra: 'x' }],
  ] as [string, Record<string, unknown>][]) {
    add(`draft with ${what}`, (c) =>
      api(c, 'POST', `/v1/apps/${c.app}/versions`, { body: draftBody({ metadata: metadata(meta) }) }),
    );
  }
  add('draft without metadata', (c) => {
    const { metadata: _, ...body } = draftBody();
    return api(c, 'POST', `/v1/apps/${c.app}/versions`, { body });
  });

  // Unknown and prototype-polluting fields.
  add('register with an unknown field', (c) =>
    api(c, 'POST', '/v1/apps', { body: { name: 'corpus-new', environments: ['staging'], admin: true } }),
  );
  add('register with a __proto__ key', (c) =>
    api(c, 'POST', '/v1/apps', {
      raw: '{"name":"corpus-new","environments":["staging"],"__proto__":{"admin":true}}',
    }),
  );
  add('deploy with a constructor.prototype key', (c) =>
    api(c, 'POST', `/v1/apps/${c.app}/deployments`, {
      raw: `{"version":"${c.published}","environment":"staging","constructor":{"prototype":{"admin":true}}}`,
    }),
  );
  add('deploy with a duplicate key whose last value is hostile', (c) =>
    api(c, 'POST', `/v1/apps/${c.app}/deployments`, {
      raw: `{"version":"${c.published}","environment":"staging","environment":"../production"}`,
    }),
  );

  // Bodies that are not what the route reads.
  for (const [what, raw, status] of [
    ['invalid JSON', '{"name": ', 400],
    ['a JSON string', '"corpus-new"', 400],
    ['JSON null', 'null', 400],
    ['a JSON array', '[{"name":"corpus-new","environments":["staging"]}]', 400],
    ['an empty body', '', 400],
    ['a body of 200,000 nested arrays', `${'['.repeat(200_000)}${']'.repeat(200_000)}`, 400],
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), 400],
  ] as [string, string | Uint8Array, number][]) {
    cases.push({
      family: 'api',
      name: `register with ${what}`,
      attack: (c) => api(c, 'POST', '/v1/apps', { raw }),
      expect: { status: [status] },
    });
  }
  cases.push({
    family: 'api',
    name: 'register with a 2 MiB string',
    // Only the headers and the start of the body are sent: smithd answers on the declared length and
    // closes the connection, which a client still writing 2 MiB could see (EPIPE) before the answer.
    attack: (c) =>
      raw(
        c,
        `POST /v1/apps HTTP/1.1\r\nHost: ${new URL(c.smithd.url).host}\r\nAuthorization: Bearer ${c.smithd.apiKey}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${2 * 1024 * 1024 + 40}\r\n\r\n{"name":"xxxxxxxx`,
      ),
    expect: { status: [413], code: 'payload_too_large' },
  });
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    cases.push({
      family: 'api',
      name: `register with content-type ${type}`,
      attack: (c) =>
        api(c, 'POST', '/v1/apps', {
          raw: 'name=corpus-new&environments=staging',
          headers: { 'content-type': type },
        }),
      expect: { status: [415, 400] },
    });
  }

  // Queries.
  for (const [what, query] of [
    ['limit 0', 'limit=0'],
    ['limit -1', 'limit=-1'],
    ['limit 501', 'limit=501'],
    ['limit abc', 'limit=abc'],
    ['limit 1.5', 'limit=1.5'],
    ['a garbage cursor', 'cursor=%%%garbage'],
    ['a forged cursor', `cursor=${Buffer.from('{"position":-1,"id":"../x"}').toString('base64url')}`],
    ['a 300-character cursor', `cursor=${'c'.repeat(300)}`],
    ['an unknown parameter', 'admin=true'],
    ['a 256-character branch glob', `branch=${'b'.repeat(256)}`],
  ] as [string, string][]) {
    add(`list versions with ${what}`, (c) => api(c, 'GET', `/v1/apps/${c.app}/versions?${query}`));
  }
  add('list deployments of an environment named ../x', (c) =>
    api(c, 'GET', `/v1/apps/${c.app}/deployments?environment=${seg('../x')}`),
  );

  // Policies and pins.
  for (const [what, body] of [
    ['no glob at all', {}],
    ['a 256-character glob', { branch: 'b'.repeat(256) }],
    ['a glob that is a number', { branch: 5 }],
    ['a glob that is an array', { tag: ['v*'] }],
    ['an empty glob', { branch: '' }],
    ['an unknown field', { branch: 'main', script: 'rm -rf /' }],
  ] as [string, unknown][]) {
    add(`set a policy with ${what}`, (c) => api(c, 'PUT', `/v1/apps/${c.app}/policies/staging`, { body }));
  }
  add('set a policy for an environment named ..', (c) =>
    api(c, 'PUT', `/v1/apps/${c.app}/policies/${seg('..')}x`, { body: { branch: 'main' } }),
  );
  add('unpin an environment named with a NUL', (c) =>
    api(c, 'DELETE', `/v1/apps/${c.app}/pins/${seg('st\u0000aging')}`),
  );

  // Headers.
  add('deploy with a 300-character Idempotency-Key', (c) =>
    api(c, 'POST', `/v1/apps/${c.app}/deployments`, {
      body: { version: c.published, environment: 'production' },
      headers: { 'idempotency-key': 'k'.repeat(300) },
    }),
  );
  // fetch refuses to send control characters in a header, so this one goes as bytes.
  add('deploy with an Idempotency-Key of control characters', (c) => {
    const body = JSON.stringify({ version: c.published, environment: 'production' });
    return raw(
      c,
      `POST /v1/apps/${c.app}/deployments HTTP/1.1\r\nHost: ${new URL(c.smithd.url).host}\r\n` +
        `Authorization: Bearer ${c.smithd.apiKey}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${body.length}\r\nIdempotency-Key: \u0001\u0002\u0003\r\n\r\n${body}`,
    );
  });

  // Unknown things, asked for politely: 404, not 500.
  cases.push(
    {
      family: 'api',
      name: 'deploy an unknown version',
      attack: (c) =>
        api(c, 'POST', `/v1/apps/${c.app}/deployments`, {
          body: { version: '404.0.0', environment: 'staging' },
        }),
      expect: { status: [404], code: 'not_found' },
    },
    {
      family: 'api',
      name: 'deploy to an environment the app does not have',
      attack: (c) =>
        api(c, 'POST', `/v1/apps/${c.app}/deployments`, {
          body: { version: c.published, environment: 'qa' },
        }),
      expect: BAD_INPUT,
    },
    {
      family: 'api',
      name: 'publish a version never drafted',
      attack: (c) => api(c, 'POST', `/v1/apps/${c.app}/versions/404.0.0/publish`, { body: {} }),
      expect: { status: [404], code: 'not_found' },
    },
    {
      family: 'api',
      name: 'draft the published version again with other content',
      attack: (c) =>
        api(c, 'POST', `/v1/apps/${c.app}/versions`, { body: draftBody({ id: c.published, sha256: SHA }) }),
      expect: { status: [409], code: 'conflict' },
    },
    {
      family: 'api',
      name: 'register the app again with other environments',
      attack: (c) => api(c, 'POST', '/v1/apps', { body: { name: c.app, environments: ['qa'] } }),
      expect: { status: [409], code: 'conflict' },
    },
  );
  return cases;
}
