/**
 * Progress of a multi-step command: a spinner on a terminal, one plain line per step with its
 * timing everywhere else. Always on stderr, so stdout stays clean for results and --json.
 */
import type { Output } from './output.ts';

export async function step<T>(output: Output, label: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const elapsed = () => `${Math.round(performance.now() - started)} ms`;
  // ora divides by the terminal's width: a TTY that reports 0 columns (a pty without a window size,
  // as `script` or `docker run -t` can give) would make it clear lines forever.
  const spinnerFits = process.stderr.isTTY === true && (process.stderr.columns ?? 0) > 0;
  if (!output.interactive || !spinnerFits) {
    try {
      const result = await run();
      process.stderr.write(`${label}: done in ${elapsed()}\n`);
      return result;
    } catch (error) {
      process.stderr.write(`${label}: failed after ${elapsed()}\n`);
      throw error;
    }
  }
  // ora is loaded only on a terminal: CI never pays for it.
  const { default: ora } = await import('ora');
  const spinner = ora({ text: label, stream: process.stderr }).start();
  try {
    const result = await run();
    spinner.succeed(`${label} ${output.color.dim(`(${elapsed()})`)}`);
    return result;
  } catch (error) {
    spinner.fail(`${label} ${output.color.dim(`(${elapsed()})`)}`);
    throw error;
  }
}
