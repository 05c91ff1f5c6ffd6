/**
 * Tests that hold for one backend only, chosen when the tests are collected: a suite on the other
 * backend does not contain them at all (never a skip at run time). Each call site says why.
 */
import { type BackendName, testBackend } from '@deploysmith/testkit/backends';
import { describe } from 'vitest';

export function describeOnly(backend: BackendName, name: string, body: () => void): void {
  if (testBackend() === backend) describe(`${name} (${backend})`, body);
}
