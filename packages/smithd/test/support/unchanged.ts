/** Runs a request that must fail and checks that database, storage and GitOps repo are as before. */
import { expect } from 'vitest';
import { type Backed, snapshot } from './state.ts';

export async function expectNothingChanged<T>(handle: Backed, failing: () => Promise<T>): Promise<T> {
  const before = await snapshot(handle);
  const result = await failing();
  const after = await snapshot(handle);
  expect(after.tables, 'database').toEqual(before.tables);
  expect(after.storage, 'version storage').toEqual(before.storage);
  expect(after.refs, 'GitOps repository').toEqual(before.refs);
  return result;
}
