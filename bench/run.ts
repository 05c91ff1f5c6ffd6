/**
 * `pnpm bench`: runs every benchmark file in bench/ (each `*.bench.ts`) in its own process, one
 * after another, so they do not compete for the two cores. Each prints its own lines.
 */
import { readdir } from 'node:fs/promises';
import { execa } from 'execa';

const only = process.argv.slice(2);
const files = (await readdir(new URL('.', import.meta.url)))
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort();

let failed = 0;
for (const file of files) {
  console.log(`\n## ${file}`);
  const result = await execa('node', [new URL(file, import.meta.url).pathname], {
    stdio: 'inherit',
    reject: false,
  });
  if (result.exitCode !== 0) failed++;
}
if (failed > 0) {
  console.error(`\n${failed} benchmark file(s) failed to run.`);
  process.exitCode = 1;
}
