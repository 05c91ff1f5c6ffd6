/**
 * A version's manifests, checked the way smithd and forge both need: every file parses within the
 * limits, every document is a Kubernetes object with a valid identity, built-in kinds match their
 * schema, and no object appears twice.
 */
import { DeploySmithError, type ErrorDetail } from '@deploysmith/core';
import { isKustomizationPath, isManifestPath } from './files.ts';
import type { ManifestFile } from './index.ts';
import { type ManifestLimits, resolveManifestLimits } from './limits.ts';
import { identifyObject, isPlainMapping, type ManifestObject } from './objects/manifest-object.ts';
import { groupOf } from './objects/object-names.ts';
import { type ParsedDocument, parseDocuments } from './parse/parse-documents.ts';

export interface ManifestValidation {
  /** Every object whose identity (apiVersion, kind, name, namespace) is valid, in file order. */
  objects: ManifestObject[];
  /** Everything wrong, in file order and then line order; empty when the manifests are valid. */
  problems: ErrorDetail[];
}

interface FileObjects extends ManifestValidation {
  documents: Map<ManifestObject, ParsedDocument>;
}

function objectsOf(file: ManifestFile, limits: ManifestLimits): FileObjects {
  const { documents, problems } = parseDocuments(file.path, file.content, limits);
  const objects: ManifestObject[] = [];
  const byObject = new Map<ManifestObject, ParsedDocument>();
  if (isKustomizationPath(file.path)) {
    // kustomize's own configuration: parsed (bounded) like any manifest, but not an object.
    for (const doc of documents) {
      if (!isPlainMapping(doc.value)) {
        problems.push({
          file: file.path,
          line: doc.line,
          document: doc.index,
          message: 'a kustomization must be a mapping',
        });
      }
    }
    return { objects, problems, documents: byObject };
  }
  for (const doc of documents) {
    const object = identifyObject(file.path, doc, problems);
    if (object !== undefined) {
      objects.push(object);
      byObject.set(object, doc);
    }
  }
  return { objects, problems, documents: byObject };
}

/**
 * The objects of one file, without schema validation (cheap: no Kubernetes schema is loaded). Files
 * that are not `.yaml`/`.yml`, and `kustomization.yaml`, have none.
 */
export function parseManifestObjects(
  file: ManifestFile,
  limits?: Partial<ManifestLimits>,
): ManifestValidation {
  if (!isManifestPath(file.path)) return { objects: [], problems: [] };
  const { objects, problems } = objectsOf(file, resolveManifestLimits(limits));
  return { objects, problems };
}

/** Everything wrong with a version's manifests; `problems` is empty when they are valid. */
export async function validateManifests(
  files: ManifestFile[],
  limits?: Partial<ManifestLimits>,
): Promise<ManifestValidation> {
  const resolved = resolveManifestLimits(limits);
  const objects: ManifestObject[] = [];
  const problems: ErrorDetail[] = [];
  if (files.length === 0) {
    return {
      objects,
      problems: [{ message: 'there are no manifests: a version needs at least one .yaml or .yml file' }],
    };
  }
  const total = files.reduce((sum, file) => sum + file.content.byteLength, 0);
  if (total > resolved.maxTotalBytes) {
    return {
      objects,
      problems: [
        {
          message: `the manifests are ${total} bytes together, more than the limit of ${resolved.maxTotalBytes} bytes`,
        },
      ],
    };
  }
  const seenPaths = new Set<string>();
  const firstByIdentity = new Map<string, ManifestObject>();
  for (const file of files) {
    const fileProblems: ErrorDetail[] = [];
    if (seenPaths.has(file.path)) {
      problems.push({ file: file.path, message: `${file.path} is listed twice` });
      continue;
    }
    seenPaths.add(file.path);
    if (!isManifestPath(file.path)) {
      problems.push({
        file: file.path,
        message: 'the file is not a manifest: a version holds only .yaml and .yml files',
      });
      continue;
    }
    const parsed = objectsOf(file, resolved);
    fileProblems.push(...parsed.problems);
    for (const object of parsed.objects) {
      if (objects.length >= resolved.maxObjects) {
        fileProblems.push({
          file: file.path,
          line: object.line,
          document: object.document,
          message: `the version has more than ${resolved.maxObjects} Kubernetes objects`,
        });
        break;
      }
      objects.push(object);
      const identity = `${groupOf(object.apiVersion)}/${object.kind}/${object.namespace ?? ''}/${object.name}`;
      const first = firstByIdentity.get(identity);
      if (first === undefined) firstByIdentity.set(identity, object);
      else fileProblems.push(duplicateProblem(object, first, parsed.documents.get(object) as ParsedDocument));
      const { validateAgainstSchema } = await import('./schema/validate-schema.ts');
      const budget = resolved.maxProblems - problems.length - fileProblems.length;
      if (budget <= 0) break;
      fileProblems.push(
        ...(await validateAgainstSchema(object, parsed.documents.get(object) as ParsedDocument, budget)),
      );
    }
    fileProblems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    problems.push(...fileProblems);
    if (problems.length >= resolved.maxProblems) {
      problems.length = resolved.maxProblems;
      problems.push({
        message: `stopped after ${resolved.maxProblems} problems; fix these and validate again`,
      });
      break;
    }
  }
  if (objects.length === 0 && problems.length === 0) {
    problems.push({ message: 'there are no Kubernetes objects in the manifests' });
  }
  return { objects, problems };
}

function duplicateProblem(object: ManifestObject, first: ManifestObject, doc: ParsedDocument): ErrorDetail {
  const where = `${first.file}:${first.line}`;
  const namespace = object.namespace === undefined ? '' : ` in namespace ${object.namespace}`;
  return {
    file: object.file,
    line: doc.lineOf(['metadata', 'name']),
    document: object.document,
    field: 'metadata.name',
    message: `${object.kind} ${object.name}${namespace} is defined twice: here and in ${where}`,
  };
}

/** `deploy.yaml:12: spec.replicas must be an integer, not the string "three"`. */
export function formatProblem(problem: ErrorDetail): string {
  const where = [problem.file, problem.line].filter((part) => part !== undefined).join(':');
  return where === '' ? problem.message : `${where}: ${problem.message}`;
}

/** The version's objects; throws `invalid_manifests` naming the first problem and listing all. */
export async function assertValidManifests(
  files: ManifestFile[],
  limits?: Partial<ManifestLimits>,
): Promise<ManifestObject[]> {
  const { objects, problems } = await validateManifests(files, limits);
  const [first] = problems;
  if (first === undefined) return objects;
  const more = problems.length - 1;
  throw new DeploySmithError(
    'invalid_manifests',
    `Invalid manifests: ${formatProblem(first)}${more === 0 ? '' : ` (and ${more} more problem${more === 1 ? '' : 's'})`}`,
    {
      details: problems,
      hint: 'Fix the manifests at the lines named and run `forge validate` until it passes.',
    },
  );
}
