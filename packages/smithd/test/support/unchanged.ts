/** Runs a request that must fail and checks that database, storage and GitOps repo are as before. */
import { expect } from 'vitest';
import { snapshot } from './state.ts';

export async function expectNothingChanged<T>(dataDir: string, failing: () => Promise<T>): Promise<T> {
  const before = await snapshot(dataDir);
  const result = await failing();
  const after = await snapshot(dataDir);
  expect(after.tables, 'database').toEqual(before.tables);
  expect(after.storage, 'version storage').toEqual(before.storage);
  expect(after.refs, 'GitOps repository').toEqual(before.refs);
  return result;
}
