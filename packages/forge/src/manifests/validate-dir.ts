/**
 * Local validation with smithd's own validator, so a pipeline fails before it uploads. Problems
 * name the file as the user sees it (the folder given plus the path inside it) and its line.
 */
import { posix } from 'node:path';
import { DeploySmithError, type ErrorDetail } from '@deploysmith/core';
import { formatProblem, validateManifests } from '@deploysmith/manifests';
import { readManifestDir } from './read-manifest-dir.ts';

export interface DirValidation {
  files: string[];
  objects: number;
}

export async function validateManifestDir(dir: string): Promise<DirValidation> {
  const files = await readManifestDir(dir);
  const { objects, problems } = await validateManifests(files);
  const [first] = problems;
  if (first !== undefined) {
    const base = dir.split('\\').join('/');
    const details: ErrorDetail[] = problems.map((problem) =>
      problem.file === undefined ? problem : { ...problem, file: posix.join(base, problem.file) },
    );
    const more = problems.length - 1;
    throw new DeploySmithError(
      'invalid_manifests',
      `Invalid manifests: ${formatProblem(details[0] ?? first)}${more === 0 ? '' : ` (and ${more} more problem${more === 1 ? '' : 's'})`}`,
      { hint: 'Fix the files at the lines named; nothing was uploaded.', details },
    );
  }
  return { files: files.map((file) => file.path), objects: objects.length };
}
