/**
 * The contexts file, `$XDG_CONFIG_HOME/deploysmith/config.yaml`: the servers smithctl knows and
 * their API keys. It holds secrets, so it is written owner-only (file 0600, folder 0700) and
 * replaced atomically, so a crash never leaves half a file.
 */
import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DeploySmithError } from '@deploysmith/core';
import Type from 'typebox';
import Value from 'typebox/value';
import { parseDocument, stringify } from 'yaml';
import { CONTEXT_NAME, type Config, emptyConfig } from './config.ts';

const ContextEntrySchema = Type.Object(
  { server: Type.String({ minLength: 1 }), apiKey: Type.String({ minLength: 1 }) },
  { additionalProperties: false },
);

const ConfigSchema = Type.Object(
  {
    currentContext: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Null()])),
    contexts: Type.Optional(Type.Record(Type.String({ pattern: CONTEXT_NAME.source }), ContextEntrySchema)),
  },
  { additionalProperties: false },
);

/** Parses and checks the file's text; a problem names the file and says how to recover. */
export function parseConfig(text: string, path: string): Config {
  const doc = parseDocument(text, { uniqueKeys: true });
  const [problem] = doc.errors;
  if (problem)
    throw invalidConfig(path, problem.message.split('\n')[0] ?? problem.message, problem.linePos?.[0]?.line);
  let value: unknown;
  try {
    // Aliases are bounded when turned into values: a few lines of YAML must not expand to gigabytes.
    value = doc.toJS({ maxAliasCount: 10 }) ?? {};
  } catch (error) {
    throw invalidConfig(path, (error as Error).message);
  }
  if (!Value.Check(ConfigSchema, value)) {
    const [first] = Value.Errors(ConfigSchema, value);
    const field = first?.instancePath.split('/').filter(Boolean).join('.') ?? '';
    throw invalidConfig(
      path,
      `${field === '' ? '' : `${field} `}${first?.message ?? 'has an unexpected shape'}`,
    );
  }
  const config: Config = { currentContext: value.currentContext ?? null, contexts: value.contexts ?? {} };
  if (config.currentContext !== null && config.contexts[config.currentContext] === undefined) {
    throw invalidConfig(path, `currentContext names "${config.currentContext}", which is not under contexts`);
  }
  return config;
}

function invalidConfig(path: string, reason: string, line?: number): DeploySmithError {
  return new DeploySmithError('invalid_input', `The smithctl config file ${path} is invalid: ${reason}.`, {
    hint: `Fix the file, or remove it and run \`smithctl login\` again.`,
    details: [{ file: path, ...(line === undefined ? {} : { line }), message: reason }],
  });
}

/** Reads the config; a missing file is an empty config. */
export async function readConfig(path: string): Promise<Config> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyConfig();
    throw new DeploySmithError('invalid_input', `Cannot read ${path}: ${(error as Error).message}`, {
      hint: 'Check the permissions of the file and of its folder.',
    });
  }
  return parseConfig(text, path);
}

/** True when people other than the owner can read the file: it holds API keys. */
export async function isReadableByOthers(path: string): Promise<boolean> {
  try {
    return ((await stat(path)).mode & 0o077) !== 0;
  } catch {
    return false;
  }
}

export function serializeConfig(config: Config): string {
  const body = stringify(
    { currentContext: config.currentContext, contexts: config.contexts },
    { lineWidth: 0 },
  );
  return `# smithctl contexts, written by \`smithctl login\`. It holds API keys: keep it private.\n${body}`;
}

/** Writes the config owner-only: folder 0700, and a file created 0600 (never readable by others, even briefly). */
export async function writeConfig(path: string, config: Config): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // An existing folder may have been made by hand with a laxer mode; it is ours, so tighten it.
  await chmod(dir, 0o700);
  const temporary = `${path}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(serializeConfig(config));
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  // The new file replaces the old one whole, so an older file's laxer mode does not survive.
  await rename(temporary, path);
}
