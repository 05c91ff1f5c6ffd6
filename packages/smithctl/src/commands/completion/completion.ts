/** `smithctl completion bash|zsh`: the script is generated from the same tree that parses the command line. */
import type { Command } from 'commander';
import { bashCompletion } from '../../completion/bash.ts';
import { describeTree } from '../../completion/tree.ts';
import { zshCompletion } from '../../completion/zsh.ts';

export function printCompletion(program: Command, shell: 'bash' | 'zsh'): void {
  const tree = describeTree(program);
  process.stdout.write(shell === 'bash' ? bashCompletion(tree) : zshCompletion(tree));
}
