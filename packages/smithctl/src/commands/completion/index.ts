import { withExamples } from '@deploysmith/cli-kit';
import { Argument, type Command } from 'commander';

export function declareCompletion(program: Command): void {
  const command = program
    .command('completion')
    .summary('print a bash or zsh completion script')
    .description('print a shell completion script (commands, subcommands, options)')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh']))
    .action(async (shell: 'bash' | 'zsh') => {
      const { printCompletion } = await import('./completion.ts');
      printCompletion(program, shell);
    });
  withExamples(command, [
    'source <(smithctl completion bash)',
    'smithctl completion bash > ~/.local/share/bash-completion/completions/smithctl',
    'smithctl completion zsh > ~/.zsh/completions/_smithctl   # a folder on $fpath',
  ]);
}
