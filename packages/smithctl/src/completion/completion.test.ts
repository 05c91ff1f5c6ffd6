import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '@deploysmith/testkit/temp';
import { requireTool } from '@deploysmith/testkit/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../program.ts';
import { bashCompletion } from './bash.ts';
import { describeTree } from './tree.ts';
import { zshCompletion } from './zsh.ts';

const tree = describeTree(buildProgram());
let dir: Awaited<ReturnType<typeof tempDir>>;
let bashScript: string;
let zshScript: string;

beforeAll(async () => {
  dir = await tempDir('smithctl-completion-');
  bashScript = join(dir.path, 'smithctl.bash');
  zshScript = join(dir.path, '_smithctl');
  await writeFile(bashScript, bashCompletion(tree));
  await writeFile(zshScript, zshCompletion(tree));
});
afterAll(() => dir.remove());

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0) throw new Error(`${command} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

/** What bash offers after the words typed so far (a trailing space starts a new word). */
function bashOffers(line: string): string[] {
  const capture = fileURLToPath(new URL('./capture-completions.bash', import.meta.url));
  return run(requireTool('bash'), [capture, bashScript, line]).split('\n').filter(Boolean);
}

function zshOffers(line: string): string[] {
  const capture = fileURLToPath(new URL('./capture-completions.zsh', import.meta.url));
  return run(requireTool('zsh'), ['-f', capture, zshScript, line])
    .split('\n')
    .map((word) => word.trim())
    .filter(Boolean);
}

describe('the command tree', () => {
  it('holds every command, subcommand and its options', () => {
    const names = tree.subcommands.map((command) => command.name);
    expect(names).toEqual([
      'login',
      'context',
      'apps',
      'versions',
      'deploy',
      'rollback',
      'status',
      'history',
      'policy',
      'unpin',
      'completion',
    ]);
    const deploy = tree.subcommands.find((command) => command.name === 'deploy');
    expect(deploy?.options.flatMap((option) => option.flags)).toEqual(
      expect.arrayContaining([
        '--server',
        '--api-key',
        '--context',
        '--env',
        '--dry-run',
        '-y',
        '--yes',
        '--json',
        '--help',
      ]),
    );
    expect(deploy?.options.find((option) => option.flags.includes('--env'))?.takesValue).toBe(true);
  });
});

describe('bash completion', () => {
  it('completes commands, subcommands and their aliases', () => {
    expect(bashOffers('smithctl ')).toEqual(tree.subcommands.map((command) => command.name));
    expect(bashOffers('smithctl ro')).toEqual(['rollback']);
    expect(bashOffers('smithctl apps ')).toEqual(['register', 'list', 'ls']);
    expect(bashOffers('smithctl context r')).toEqual(['rm', 'remove']);
  });

  it("completes a command's own and global options, past global options and their values", () => {
    expect(bashOffers('smithctl --server http://x --context prod pol')).toEqual(['policy']);
    expect(bashOffers('smithctl policy set hello --env staging --')).toEqual([
      '--server',
      '--api-key',
      '--context',
      '--env',
      '--branch',
      '--tag',
      '--json',
      '--help',
    ]);
    expect(bashOffers('smithctl deploy hello 1.2.0 --dry')).toEqual(['--dry-run']);
  });

  it('offers the choices of an argument, and nothing for a free-form option value', () => {
    expect(bashOffers('smithctl completion ')).toEqual(['bash', 'zsh']);
    expect(bashOffers('smithctl deploy hello 1.2.0 --env ')).toEqual([]);
  });
});

describe('zsh completion', () => {
  it('completes commands and subcommands', () => {
    expect(zshOffers('smithctl ').sort()).toEqual(tree.subcommands.map((command) => command.name).sort());
    expect(zshOffers('smithctl policy ').sort()).toEqual(['list', 'ls', 'remove', 'rm', 'set']);
  });

  it("completes a command's options, global options included", () => {
    expect(zshOffers('smithctl rollback hello --').sort()).toEqual(
      [
        '--api-key',
        '--context',
        '--dry-run',
        '--env',
        '--help',
        '--json',
        '--server',
        '--to',
        '--yes',
      ].sort(),
    );
    expect(zshOffers('smithctl --server http://x versions show hello 1 --j')).toEqual(['--json']);
  });

  it('offers the choices of an argument', () => {
    expect(zshOffers('smithctl completion ').sort()).toEqual(['bash', 'zsh']);
  });
});
