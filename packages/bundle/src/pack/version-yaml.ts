/** `version.yml` as bytes: keys in the schema's order, so the same metadata always packs the same. */
import { DeploySmithError, VersionFile } from '@deploysmith/core';
import Value from 'typebox/value';
import { stringify } from 'yaml';

export function versionFileBytes(versionFile: VersionFile): Buffer {
  if (!Value.Check(VersionFile, versionFile)) {
    const details = [...Value.Errors(VersionFile, versionFile)].map((error) => ({
      file: 'version.yml',
      field: error.instancePath.slice(1).replaceAll('/', '.'),
      message: error.message,
    }));
    throw new DeploySmithError(
      'invalid_input',
      `The version metadata is invalid: ${details[0]?.field} ${details[0]?.message}`,
      {
        details,
        hint: 'Check the flags and CI variables that forge reads the metadata from (`forge metadata` prints them).',
      },
    );
  }
  const ordered: Record<string, unknown> = {};
  for (const key of Object.keys(VersionFile.properties)) ordered[key] = versionFile[key as keyof VersionFile];
  return Buffer.from(stringify(ordered, { lineWidth: 0 }), 'utf8');
}
