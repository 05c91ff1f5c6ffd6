/** `version.yml` from an upload: UTF-8, one small YAML document, exactly the `VersionFile` schema. */
import { DeploySmithError, VERSION_FILE, VersionFile } from '@deploysmith/core';
import Value from 'typebox/value';
import { parseDocument } from 'yaml';

function invalid(message: string, details: { field?: string; message: string }[] = []): DeploySmithError {
  return new DeploySmithError('invalid_bundle', `The bundle's ${VERSION_FILE} ${message}.`, {
    details: details.map((detail) => ({ file: VERSION_FILE, ...detail })),
    hint: `Pack bundles with \`forge publish\`; ${VERSION_FILE} holds the version's app, id and metadata.`,
  });
}

export function parseVersionFile(content: Uint8Array): VersionFile {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw invalid('is not UTF-8 text');
  }
  // The file is small (bounded before it is read), so the parser's own bounds suffice.
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, stringKeys: true });
  const [error] = [...doc.errors, ...doc.warnings];
  if (error !== undefined) throw invalid(`is not valid YAML: ${error.message.split('\n')[0]}`);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 10 });
  } catch (caught) {
    throw invalid(`cannot be read: ${(caught as Error).message}`);
  }
  if (!Value.Check(VersionFile, value)) {
    const details = [...Value.Errors(VersionFile, value)].slice(0, 20).map((issue) => {
      const field = issue.instancePath.slice(1).replaceAll('/', '.');
      return field === '' ? { message: issue.message } : { field, message: `${field} ${issue.message}` };
    });
    throw invalid(`does not match the version schema: ${details[0]?.message ?? 'invalid'}`, details);
  }
  return value;
}
