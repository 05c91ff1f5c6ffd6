/**
 * Bundles each program into packages/<name>/dist/ with esbuild. The CLIs are bundled whole, split
 * at every dynamic import, so `--help` loads one small file. smithd bundles its dependencies too
 * (resolving and reading hundreds of node_modules files made up half of its start-up, and a
 * restart after a crash must serve within 2 s), except the native better-sqlite3 and the lazily
 * loaded pg and AWS SDK.
 */
import { rename, rm } from 'node:fs/promises';
import { build } from 'esbuild';
import { lazyBuiltins } from './lazy-builtins.ts';

const programs = [
  { name: 'smithd', external: ['better-sqlite3', 'pg', '@aws-sdk/*'] },
  { name: 'forge', external: [] },
  { name: 'smithctl', external: [] },
  { name: 'pilar', external: [] },
];

// Worker threads are entry points of their own, beside main.js (`new URL('./<name>.js', import.meta.url)`).
const workers: Record<string, Record<string, string>> = {
  smithd: { 'validation-worker': 'packages/smithd/src/publish/validation-worker.ts' },
};

// Bundled CommonJS dependencies call require(); an ES module has none of its own.
const banner = "const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);";

// `node scripts/build.ts forge smithctl` builds only those programs.
const only = process.argv.slice(2);
const chosen = only.length === 0 ? programs : programs.filter((program) => only.includes(program.name));

await Promise.all(
  chosen.map(async ({ name, external }) => {
    // Built beside dist/ and swapped in, so a test running the previous build is not left without files.
    const outdir = `packages/${name}/dist`;
    const staging = `${outdir}.next`;
    await rm(staging, { recursive: true, force: true });
    await build({
      entryPoints: { main: `packages/${name}/src/main.ts`, ...workers[name] },
      outdir: staging,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      sourcemap: 'linked',
      banner: { js: banner },
      external,
      // Node's built-in punycode is deprecated and warns on stderr; bundle the npm package instead.
      alias: { punycode: 'punycode/' },
      plugins: [lazyBuiltins],
      logLevel: 'warning',
    });
    await rm(outdir, { recursive: true, force: true });
    await rename(staging, outdir);
  }),
);
