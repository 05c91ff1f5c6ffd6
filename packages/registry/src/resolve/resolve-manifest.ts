/**
 * Resolves one image reference to the digest of its manifest (of the index, for a multi-platform
 * image): a HEAD with every manifest media type accepted; when the registry leaves out
 * `Docker-Content-Digest` (or the media type), a GET whose body is hashed. Digests the registry
 * reports are checked against the bytes whenever bytes are fetched, and a `@digest` reference must
 * come back with that digest.
 */
import { DeploySmithError } from '@deploysmith/core';
import { type HttpPool, type HttpResponse, headerValue } from '@deploysmith/http';
import type { Authenticator } from '../auth/authenticator.ts';
import { credentialHint, describe } from '../auth/authenticator.ts';
import { MANIFEST_ACCEPT } from '../reference/media-types.ts';
import { type ImageRef, parseImageRef } from '../reference/parse-image-ref.ts';
import { registryBaseUrl } from './endpoint.ts';

export interface ResolvedRef {
  /** The reference as it was given. */
  ref: string;
  /** Normalised `registry/repository`. */
  name: string;
  /** `sha256:…` of the manifest (or index). */
  digest: string;
  mediaType: string;
  /** `name@digest`: what a GitOps file pins. */
  pinned: string;
}

export interface ResolveContext {
  pool: HttpPool;
  auth: Authenticator;
  insecure: ReadonlySet<string>;
}

export async function resolveManifest(context: ResolveContext, ref: string): Promise<ResolvedRef> {
  const image = parseImageRef(ref);
  const reference = image.digest ?? image.tag ?? 'latest';
  const url = new URL(
    `v2/${image.repository}/manifests/${reference}`,
    registryBaseUrl(image.registry, context.insecure),
  );

  let response = await request(context, image, ref, url, 'HEAD');
  // A registry that does not support HEAD on manifests gets a GET.
  if (response.status === 405) response = await request(context, image, ref, url, 'GET');
  checkStatus(response, image, ref, reference);

  let digest = headerValue(response.headers, 'docker-content-digest');
  let mediaType = contentType(response);
  if (digest === undefined || mediaType === undefined || response.body.length > 0) {
    if (response.body.length === 0) {
      response = await request(context, image, ref, url, 'GET');
      checkStatus(response, image, ref, reference);
    }
    const computed = digestOf(response.body, digest ?? image.digest ?? 'sha256:');
    const reported = headerValue(response.headers, 'docker-content-digest');
    if (reported !== undefined && reported !== computed) {
      throw new DeploySmithError(
        'checksum_mismatch',
        `Registry ${image.registry} reported digest ${reported} for ${ref}, but the manifest it sent hashes to ${computed}`,
        {
          hint: 'The registry or a proxy in between is serving inconsistent data; try again or ask its operators.',
          fromServer: true,
        },
      );
    }
    digest = computed;
    mediaType = contentType(response) ?? mediaTypeOfBody(response.body) ?? 'application/octet-stream';
  }
  if (image.digest !== undefined && digest !== image.digest) {
    throw new DeploySmithError(
      'checksum_mismatch',
      `Registry ${image.registry} answered ${ref} with a manifest whose digest is ${digest}`,
      {
        hint: 'The digest in the reference does not match what the registry holds under it.',
        fromServer: true,
      },
    );
  }
  return { ref, name: image.name, digest, mediaType, pinned: `${image.name}@${digest}` };
}

async function request(
  context: ResolveContext,
  image: ImageRef,
  ref: string,
  url: URL,
  method: 'HEAD' | 'GET',
): Promise<HttpResponse> {
  const scope = `repository:${image.repository}:pull`;
  const send = async (authorization: string | undefined) => {
    try {
      return await context.pool.send(url, {
        method,
        headers: { accept: MANIFEST_ACCEPT, ...(authorization === undefined ? {} : { authorization }) },
      });
    } catch (error) {
      if (error instanceof DeploySmithError) throw error;
      throw new DeploySmithError(
        'server_unreachable',
        `Cannot reach registry ${image.registry} (${url.origin}) for ${ref}: ${describe(error)}`,
        {
          hint:
            url.protocol === 'https:'
              ? `Check the registry address and the network. A registry without TLS must be marked insecure (--insecure-registry ${image.registry}).`
              : 'Check the registry address and the network, and that the registry is running.',
          cause: error,
        },
      );
    }
  };
  const first = await context.auth.authorization(image.registry, scope, ref);
  let response = await send(first);
  if (response.status === 401) {
    const answer = await context.auth.answer(image.registry, scope, response, ref, first);
    // The same basic credentials again would be refused again.
    if (answer !== undefined && !(answer === first && answer.startsWith('Basic ')))
      response = await send(answer);
  }
  return response;
}

function checkStatus(response: HttpResponse, image: ImageRef, ref: string, reference: string): void {
  const { status } = response;
  if (status === 200) return;
  if (status === 401 || status === 403) {
    const what = status === 401 ? 'requires credentials that were not accepted' : 'denied access';
    throw new DeploySmithError('unauthorized', `Registry ${image.registry} ${what} for ${ref} (${status})`, {
      hint: credentialHint(image.registry),
      fromServer: true,
    });
  }
  if (status === 404) {
    const what = reference === image.digest ? `digest ${reference}` : `tag "${reference}"`;
    throw new DeploySmithError(
      'not_found',
      `Image ${ref} not found: ${image.registry} has no manifest for ${what} in ${image.repository}`,
      {
        hint: `Check the repository and ${reference === image.digest ? 'digest' : 'tag'}, and that the image was pushed to ${image.registry}.`,
        fromServer: true,
      },
    );
  }
  if (status >= 500 || status === 429 || status === 408) {
    throw new DeploySmithError(
      'server_unreachable',
      `Registry ${image.registry} answered ${status} for ${ref}, also after retries`,
      {
        hint: 'The registry is overloaded or failing; try again later.',
        fromServer: true,
      },
    );
  }
  throw new DeploySmithError('invalid_input', `Registry ${image.registry} answered ${status} for ${ref}`, {
    hint: bodySnippet(response),
    fromServer: true,
  });
}

function contentType(response: HttpResponse): string | undefined {
  const value = headerValue(response.headers, 'content-type')?.split(';')[0]?.trim();
  return value === '' || value === 'application/octet-stream' ? undefined : value;
}

function mediaTypeOfBody(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { mediaType?: unknown };
    return typeof parsed.mediaType === 'string' ? parsed.mediaType : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Hashes with the algorithm of `like` (sha256 or sha512). node:crypto is fetched on first use: most
 * resolutions never hash, and importing it eagerly costs every CLI start.
 */
function digestOf(body: Buffer, like: string): string {
  const algorithm = like.startsWith('sha512:') ? 'sha512' : 'sha256';
  const { createHash } = process.getBuiltinModule('node:crypto');
  return `${algorithm}:${createHash(algorithm).update(body).digest('hex')}`;
}

function bodySnippet(response: HttpResponse): string | undefined {
  const text = response.body.toString('utf8').trim();
  return text === '' ? undefined : `The registry said: ${text.slice(0, 300)}`;
}
