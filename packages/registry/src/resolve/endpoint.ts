/**
 * Where a registry's API lives: Docker Hub's API is registry-1.docker.io; loopback registries and
 * the ones marked insecure speak plain HTTP, all others HTTPS.
 */
import { DOCKER_HUB } from '../reference/parse-image-ref.ts';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function hostWithoutPort(registry: string): string {
  if (registry.startsWith('[')) return registry.slice(0, registry.indexOf(']') + 1);
  return registry.split(':')[0] ?? registry;
}

export function isPlainHttp(registry: string, insecure: ReadonlySet<string>): boolean {
  const host = hostWithoutPort(registry);
  return LOOPBACK.has(host) || host.endsWith('.localhost') || insecure.has(registry) || insecure.has(host);
}

export function registryBaseUrl(registry: string, insecure: ReadonlySet<string>): URL {
  const host = registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
  return new URL(`${isPlainHttp(registry, insecure) ? 'http' : 'https'}://${host}/`);
}
