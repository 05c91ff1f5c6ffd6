/** Two objects that are one object to the API server: kustomize refuses the build, and so do we. */
import { DeploySmithError } from '@deploysmith/core';
import { describeObject, type ObjectRef, objectKey } from './objects.ts';

/**
 * Refuses when two of `ours` are the same object, or one of `ours` is also one of `theirs` (the
 * other apps of the environment). The error names the object and both files.
 */
export function assertNoCollisions(
  ours: ObjectRef[],
  theirs: ObjectRef[],
  app: string,
  environment: string,
): void {
  const seen = new Map<string, ObjectRef>();
  for (const object of ours) {
    const key = objectKey(object);
    const first = seen.get(key);
    if (first !== undefined) throw collision(object, first, `twice in ${app}`);
    seen.set(key, object);
  }
  for (const other of theirs) {
    const object = seen.get(objectKey(other));
    if (object !== undefined) throw collision(object, other, `by another app in ${environment}`);
  }
}

function collision(object: ObjectRef, other: ObjectRef, where: string): DeploySmithError {
  const what = describeObject(object);
  return new DeploySmithError(
    'object_collision',
    `${what} in ${object.file} is already declared ${where}, in ${other.file}.`,
    {
      hint: 'One environment cannot hold the same object twice: rename it, or keep it in one app only. Nothing was committed.',
      details: [
        { file: object.file, document: object.document, message: `declares ${what}` },
        { file: other.file, document: other.document, message: `also declares ${what}` },
      ],
    },
  );
}
