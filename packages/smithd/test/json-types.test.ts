/**
 * A JSON body is taken with the types it was sent with (found by the reliability corpus: numbers,
 * booleans and one-element arrays used to be coerced to the strings and lists a route wants, so
 * `"dryRun": "false"` deployed for real); query strings, which are text, are still read as numbers.
 */
import { sampleManifests } from '@deploysmith/testkit/gitops';
import { publishVersion, type SmithdHandle, startSmithd } from '@deploysmith/testkit/smithd';
import { requireTool } from '@deploysmith/testkit/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './support/api.ts';
import { readTables } from './support/state.ts';

requireTool('git');
requireTool('kubectl');

let smithd: SmithdHandle;

beforeAll(async () => {
  smithd = await startSmithd();
  await publishVersion(smithd, 'typed', '1', sampleManifests('typed', '1'));
});

afterAll(async () => {
  await smithd?.stop();
});

describe('JSON bodies', () => {
  it.each([
    ['a number for a name', 'POST', '/v1/apps', { name: 123, environments: ['staging'] }],
    ['a boolean for a name', 'POST', '/v1/apps', { name: true, environments: ['staging'] }],
    ['a one-element array for a name', 'POST', '/v1/apps', { name: ['x'], environments: ['staging'] }],
    ['a string for a list', 'POST', '/v1/apps', { name: 'x', environments: 'staging' }],
    [
      'a one-element array for a version',
      'POST',
      '/v1/apps/typed/deployments',
      { version: ['1'], environment: 'staging' },
    ],
    [
      'the string "false" for dryRun',
      'POST',
      '/v1/apps/typed/deployments',
      { version: '1', environment: 'staging', dryRun: 'false' },
    ],
    [
      'the number 0 for dryRun',
      'POST',
      '/v1/apps/typed/deployments',
      { version: '1', environment: 'staging', dryRun: 0 },
    ],
    [
      'a string for a size',
      'POST',
      '/v1/apps/typed/versions',
      { id: '2', metadata: {}, sha256: 'a'.repeat(64), size: '10' },
    ],
  ] as const)(
    'refuses %s with 400, naming the field, and writes nothing',
    async (_what, method, path, body) => {
      const before = await readTables(smithd);
      const answer = await call(smithd, method, path, { body });
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('invalid_input');
      expect(await readTables(smithd)).toEqual(before);
    },
  );

  it('still reads numbers in a query string', async () => {
    const answer = await call(smithd, 'GET', '/v1/apps/typed/versions?limit=1');
    expect(answer.status).toBe(200);
    expect(answer.body.items).toHaveLength(1);
  });
});
