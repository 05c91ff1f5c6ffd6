/**
 * Image references as Docker and containerd read them: `nginx` is `docker.io/library/nginx`, the
 * first path component is a registry only when it looks like a host (has a dot or a port, or is
 * `localhost`), a digest wins over a tag when both are given.
 */
import { DeploySmithError } from '@deploysmith/core';

export interface ImageRef {
  /** Registry host (and port), e.g. `docker.io`, `registry.dips.no`, `127.0.0.1:5000`. */
  registry: string;
  /** Repository path inside the registry, e.g. `library/nginx`. */
  repository: string;
  tag?: string;
  /** `algorithm:hex`, e.g. `sha256:…`. */
  digest?: string;
  /** `registry/repository`, normalised: `nginx` → `docker.io/library/nginx`. */
  name: string;
}

export const DOCKER_HUB = 'docker.io';

// From the distribution reference grammar (github.com/distribution/reference).
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
const HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?$/;
const MAX_NAME_LENGTH = 255;

export function parseImageRef(ref: string): ImageRef {
  const invalid = (why: string) =>
    new DeploySmithError('invalid_input', `Invalid image reference "${ref}": ${why}`, {
      hint: 'Write it as [registry/]repository[:tag][@sha256:digest], e.g. registry.example.com/team/app:1.2.0',
    });
  const text = ref.trim();
  if (text === '') throw invalid('it is empty');

  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid(`"${digest}" is not a sha256 or sha512 digest`);
  }

  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  // A colon after the last slash separates the tag; one before it is a registry port.
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) throw invalid(`"${tag}" is not a valid tag`);
  }

  let registry = DOCKER_HUB;
  let repository = rest;
  const slash = rest.indexOf('/');
  if (slash !== -1) {
    const first = rest.slice(0, slash);
    if (
      first.includes('.') ||
      first.includes(':') ||
      first === 'localhost' ||
      first !== first.toLowerCase()
    ) {
      registry = first;
      repository = rest.slice(slash + 1);
    }
  }
  if (!HOST.test(registry)) throw invalid(`"${registry}" is not a registry host`);
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;

  if (repository === '') throw invalid('the repository name is missing');
  for (const component of repository.split('/')) {
    if (!COMPONENT.test(component)) {
      throw invalid(
        `"${component}" is not a valid repository path component (lower-case letters, digits, . _ -)`,
      );
    }
  }
  const name = `${registry}/${repository}`;
  if (name.length > MAX_NAME_LENGTH) throw invalid(`the name is longer than ${MAX_NAME_LENGTH} characters`);

  return {
    registry,
    repository,
    name,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

/** The text form of a reference, with its normalised name. */
export function formatImageRef(image: ImageRef): string {
  return `${image.name}${image.tag === undefined ? '' : `:${image.tag}`}${image.digest === undefined ? '' : `@${image.digest}`}`;
}
