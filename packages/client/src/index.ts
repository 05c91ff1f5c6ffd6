export { type DeployOptions, SmithClient } from './client.ts';
export { type HttpOptions, parseServerUrl } from './http.ts';
export type { UploadOptions } from './upload.ts';
