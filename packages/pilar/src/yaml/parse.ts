/**
 * YAML files of a SMUD repo read once, at the edge: bounded parsing (shared with every DeploySmith
 * program), and an invalid file becomes an `invalid_input` error that names file and line.
 */
import { DeploySmithError } from '@deploysmith/core';
import { parseYamlDocument, YamlFileError } from '@deploysmith/gitops';
import type { Document } from 'yaml';

export function parseYaml(text: string, file: string): Document {
  try {
    return parseYamlDocument(text, file);
  } catch (error) {
    if (!(error instanceof YamlFileError)) throw error;
    const message = error.message.slice(error.message.indexOf(': ') + 2);
    throw new DeploySmithError('invalid_input', `${file} is not valid YAML: ${message}`, {
      hint: 'Fix the file and run the command again; nothing was changed.',
      details: [{ file, ...(error.line === undefined ? {} : { line: error.line }), message }],
    });
  }
}

/** A file whose content is not shaped as the SMUD layout expects. */
export function layoutError(file: string, message: string, hint?: string): DeploySmithError {
  return new DeploySmithError('invalid_input', `${file}: ${message}`, {
    hint: hint ?? 'Fix the file and run the command again; nothing was changed.',
    details: [{ file, message }],
  });
}
