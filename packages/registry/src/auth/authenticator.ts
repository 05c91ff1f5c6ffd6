/**
 * Answers registry challenges: basic credentials, or the bearer-token flow (ask the challenge's
 * realm for a token for `service` and `scope`, anonymously or with credentials, or exchange an
 * identity token). A registry's challenge is remembered, so later requests get a token before they
 * are sent; tokens are reused per registry and scope until shortly before they expire, and
 * concurrent requests for the same scope share one token request.
 */
import { DeploySmithError } from '@deploysmith/core';
import type { HttpPool, HttpResponse } from '@deploysmith/http';
import { type Challenge, parseChallenges, pickChallenge } from './challenge.ts';
import type { CredentialStore } from './credentials.ts';
import type { Credential } from './docker-config.ts';

interface CachedToken {
  value: string;
  expiresAt: number;
}

const DEFAULT_TOKEN_LIFETIME_S = 60;
const EXPIRY_MARGIN_MS = 5_000;

export class Authenticator {
  readonly #pool: HttpPool;
  readonly #credentials: CredentialStore;
  readonly #challenges = new Map<string, Challenge>();
  readonly #tokens = new Map<string, Promise<CachedToken>>();

  constructor(pool: HttpPool, credentials: CredentialStore) {
    this.#pool = pool;
    this.#credentials = credentials;
  }

  /** The Authorization header to send up front, when this registry has challenged us before. */
  async authorization(registry: string, scope: string, ref: string): Promise<string | undefined> {
    const challenge = this.#challenges.get(registry);
    if (challenge === undefined) return undefined;
    return this.#answer(registry, scope, challenge, ref);
  }

  /**
   * The Authorization header answering a 401, or undefined when there is nothing to answer with
   * (basic auth and no credentials). A token that was just refused is not reused.
   */
  async answer(
    registry: string,
    scope: string,
    response: HttpResponse,
    ref: string,
    refused?: string,
  ): Promise<string | undefined> {
    const challenge = pickChallenge(parseChallenges(response.headers['www-authenticate']));
    if (challenge === undefined) return undefined;
    this.#challenges.set(registry, challenge);
    if (refused !== undefined) this.#tokens.delete(tokenKey(registry, scope));
    return this.#answer(registry, scope, challenge, ref);
  }

  /** Whether credentials exist for the registry (to word a refusal). */
  async hasCredentials(registry: string): Promise<boolean> {
    return (await this.#credentials.get(registry)) !== undefined;
  }

  async #answer(
    registry: string,
    scope: string,
    challenge: Challenge,
    ref: string,
  ): Promise<string | undefined> {
    const credential = await this.#credentials.get(registry);
    if (challenge.scheme === 'basic') {
      if (credential === undefined || credential.identityToken) return undefined;
      return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
    }
    const key = tokenKey(registry, scope);
    let token = this.#tokens.get(key);
    if (token !== undefined) {
      const settled = await token.catch(() => undefined);
      if (settled === undefined || settled.expiresAt <= Date.now()) token = undefined;
    }
    if (token === undefined) {
      token = this.#fetchToken(registry, scope, challenge, credential, ref);
      this.#tokens.set(key, token);
      token.catch(() => this.#tokens.delete(key));
    }
    return `Bearer ${(await token).value}`;
  }

  async #fetchToken(
    registry: string,
    scope: string,
    challenge: Challenge,
    credential: Credential | undefined,
    ref: string,
  ): Promise<CachedToken> {
    const realm = challenge.params.realm ?? '';
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new DeploySmithError(
        'unauthorized',
        `Registry ${registry} sent a bearer challenge with an unusable realm "${realm}" for ${ref}`,
      );
    }
    const service = challenge.params.service;
    let response: HttpResponse;
    try {
      if (credential?.identityToken) {
        // OAuth2 refresh-token grant, as docker does with an identity token.
        const form = new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: credential.identityToken,
          client_id: 'deploysmith',
          scope,
          ...(service === undefined ? {} : { service }),
        });
        response = await this.#pool.send(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
        });
      } else {
        if (service !== undefined) url.searchParams.set('service', service);
        url.searchParams.append('scope', scope);
        const headers: Record<string, string> = {};
        if (credential) {
          headers.authorization = `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
        }
        response = await this.#pool.send(url, { method: 'GET', headers });
      }
    } catch (error) {
      throw new DeploySmithError(
        'server_unreachable',
        `Cannot reach the token service ${url.origin} of registry ${registry} for ${ref}: ${describe(error)}`,
        {
          hint: 'Check the network path to the registry and its auth service.',
          cause: error,
        },
      );
    }
    if (response.status === 401 || response.status === 403) {
      throw new DeploySmithError(
        'unauthorized',
        `The token service of registry ${registry} refused ${credential ? 'the credentials' : 'anonymous access'} for ${ref} (${response.status})`,
        { hint: credentialHint(registry), fromServer: true },
      );
    }
    if (response.status !== 200) {
      throw new DeploySmithError(
        'server_unreachable',
        `The token service of registry ${registry} answered ${response.status} for ${ref}`,
        {
          fromServer: true,
        },
      );
    }
    let body: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(response.body.toString('utf8')) as typeof body;
    } catch {
      throw new DeploySmithError(
        'server_unreachable',
        `The token service of registry ${registry} sent an answer that is not JSON`,
        {
          fromServer: true,
        },
      );
    }
    const value = typeof body.token === 'string' && body.token !== '' ? body.token : body.access_token;
    if (typeof value !== 'string' || value === '') {
      throw new DeploySmithError(
        'server_unreachable',
        `The token service of registry ${registry} sent no token`,
        { fromServer: true },
      );
    }
    const lifetimeS =
      typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_LIFETIME_S;
    return { value, expiresAt: Date.now() + lifetimeS * 1000 - EXPIRY_MARGIN_MS };
  }
}

function tokenKey(registry: string, scope: string): string {
  return `${registry} ${scope}`;
}

export function credentialHint(registry: string): string {
  return (
    `Log in with \`docker login ${registry}\` (credentials are read from $DOCKER_CONFIG/config.json or ~/.docker/config.json, ` +
    'credHelpers and credsStore included), or set DEPLOYSMITH_REGISTRY_USERNAME and DEPLOYSMITH_REGISTRY_PASSWORD.'
  );
}

export function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}
