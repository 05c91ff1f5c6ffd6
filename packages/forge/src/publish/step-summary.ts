import { appendFile } from 'node:fs/promises';

/** Appends Markdown to GitHub's job summary when running there; elsewhere does nothing. */
export async function writeStepSummary(
  markdown: string,
  env: Record<string, string | undefined> = process.env,
): Promise<void> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (env.GITHUB_ACTIONS !== 'true' || !file) return;
  await appendFile(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
}
