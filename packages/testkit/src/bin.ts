/** Runs the built CLIs (bin/forge, bin/smithctl, bin/pilar, bin/smithd) the way a user would. */
import { fileURLToPath } from 'node:url';
import { execa, type Options, type Result } from 'execa';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function binPath(name: 'smithd' | 'forge' | 'smithctl' | 'pilar'): string {
  return `${REPO_ROOT}bin/${name}`;
}

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a CLI to completion without throwing on a non-zero exit, with a clean environment:
 * no CI or colour settings leak in from the machine running the tests unless `env` sets them.
 */
export async function runCli(
  name: 'smithd' | 'forge' | 'smithctl' | 'pilar',
  args: string[],
  options: Options = {},
): Promise<CliResult> {
  const result: Result = await execa(binPath(name), args, {
    timeout: 120_000,
    ...options,
    reject: false,
    extendEnv: false,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}
