/** The version id forge gives a build: short git sha plus the CI build number, e.g. `42540c4-123`. */
import { assertVersionId } from '@deploysmith/core';

export const SHORT_SHA_LENGTH = 7;

export function defaultVersionId(gitSha: string, buildNumber: string | null): string {
  const short = gitSha.slice(0, SHORT_SHA_LENGTH);
  if (buildNumber === null) return short;
  // Build numbers such as Azure's "20240131.4" are fine; anything outside the id alphabet becomes "-".
  const build = buildNumber
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[-.]+|[-.]+$/g, '');
  return assertVersionId(build === '' ? short : `${short}-${build}`);
}
