export * from './api.ts';
export * from './errors.ts';
export * from './names.ts';
export * from './version-metadata.ts';
