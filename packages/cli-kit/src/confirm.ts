/** Asking before something hard to undo: a prompt on a terminal, `--yes` everywhere else. */
import { DeploySmithError } from '@deploysmith/core';
import type { Output } from './output.ts';

export async function confirm(output: Output, question: string, options: { yes?: boolean }): Promise<void> {
  if (options.yes) return;
  if (!output.interactive || output.json || process.stdin.isTTY !== true) {
    throw new DeploySmithError(
      'confirmation_required',
      `${question} Confirmation is needed and there is no terminal.`,
      {
        hint: 'Add --yes to confirm.',
      },
    );
  }
  // Loaded here, not at start-up: readline pulls in streams every `--help` would pay for.
  const { createInterface } = await import('node:readline/promises');
  const readline = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await readline.question(`${question} [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) {
      throw new DeploySmithError('confirmation_required', 'Not confirmed; nothing was changed.', {
        hint: 'Answer "y" to go ahead, or add --yes.',
      });
    }
  } finally {
    readline.close();
  }
}
