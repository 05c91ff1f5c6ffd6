/**
 * The built smithctl as a person at a workstation runs it: its own config folder
 * (XDG_CONFIG_HOME in a temp dir), no CI or colour settings from the machine running the tests.
 */
import { binPath, type CliResult, runCli } from '@deploysmith/testkit/bin';
import { requireTool } from '@deploysmith/testkit/tools';
import { execa } from 'execa';

export interface Smithctl {
  (args: string[], env?: Record<string, string>): Promise<CliResult>;
  /** Runs with --json and parses stdout; fails the test with stderr when the exit code is not 0. */
  json<T = any>(args: string[], env?: Record<string, string>): Promise<T>;
  /** Runs on a pseudo-terminal (so smithctl sees a TTY), typing `input`; stdout and stderr are merged. */
  onTerminal(args: string[], input: string, env?: Record<string, string>): Promise<CliResult>;
}

export function smithctlWith(configHome: string, baseEnv: Record<string, string> = {}): Smithctl {
  const envFor = (env: Record<string, string>) => ({ XDG_CONFIG_HOME: configHome, ...baseEnv, ...env });
  const run = (args: string[], env: Record<string, string> = {}) =>
    runCli('smithctl', args, { env: envFor(env) });
  const json = async (args: string[], env: Record<string, string> = {}) => {
    const result = await run([...args, '--json'], env);
    if (result.exitCode !== 0) {
      throw new Error(`smithctl ${args.join(' ')} --json exited ${result.exitCode}:\n${result.stderr}`);
    }
    return JSON.parse(result.stdout);
  };
  const onTerminal = async (
    args: string[],
    input: string,
    env: Record<string, string> = {},
  ): Promise<CliResult> => {
    const script = requireTool('script');
    const command = [binPath('smithctl'), ...args]
      .map((word) => `'${word.replace(/'/g, `'\\''`)}'`)
      .join(' ');
    const result = await execa(script, ['-q', '-e', '-c', command, '/dev/null'], {
      input,
      reject: false,
      timeout: 60_000,
      extendEnv: false,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'xterm', ...envFor(env) },
    });
    return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
  };
  return Object.assign(run, { json, onTerminal });
}
