export { type Challenge, parseChallenges } from './auth/challenge.ts';
export { credentialsFromEnv, type RegistryCredential } from './auth/credentials.ts';
export {
  type Credential,
  credentialFromDockerConfig,
  type DockerConfig,
  dockerConfigDir,
  readDockerConfig,
} from './auth/docker-config.ts';
export { RegistryClient, type RegistryOptions } from './client.ts';
export { formatImageRef, type ImageRef, parseImageRef } from './reference/parse-image-ref.ts';
export type { ResolvedRef } from './resolve/resolve-manifest.ts';
