/**
 * The frame every CLI runs in: commander with examples in --help, and one place where errors end
 * the process with the right exit code.
 */
import type { Command } from 'commander';

/** Adds an "Examples:" block to a command's --help. */
export function withExamples(command: Command, examples: string[]): Command {
  const lines = examples.map((example) => `  $ ${example}`).join('\n');
  return command.addHelpText('after', `\nExamples:\n${lines}\n`);
}

/** Parses argv and runs the chosen command; an error sets the exit code from the one table. */
export async function runProgram(program: Command, argv: string[] = process.argv): Promise<void> {
  program.exitOverride((error) => {
    // --help and --version are not failures; usage errors are invalid input (exit 1).
    process.exit(error.exitCode === 0 ? 0 : 1);
  });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    // Loaded only on failure: colours and error formatting stay out of every successful start.
    const [{ reportError }, { createOutput }] = await Promise.all([
      import('./errors.ts'),
      import('./output.ts'),
    ]);
    const output = createOutput({ json: argv.includes('--json') });
    process.exitCode = reportError(error, output);
  }
}
