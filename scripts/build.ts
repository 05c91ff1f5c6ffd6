/**
 * Bundles each program into packages/<name>/dist/ with esbuild. The CLIs are bundled whole, split
 * at every dynamic import, so `--help` loads one small file; smithd keeps its third-party
 * dependencies external (native better-sqlite3, lazily loaded pg and AWS SDK).
 */
import { rename, rm } from 'node:fs/promises';
import { build, type Plugin } from 'esbuild';

const programs = [
  { name: 'smithd', bundleDependencies: false },
  { name: 'forge', bundleDependencies: true },
  { name: 'smithctl', bundleDependencies: true },
  { name: 'pilar', bundleDependencies: true },
];

/** Workspace packages are TypeScript sources and always bundled; everything else stays external. */
const externalThirdParty: Plugin = {
  name: 'external-third-party',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@deploysmith/') || args.path.startsWith('node:') ? undefined : { path: args.path, external: true },
    );
  },
};

// Bundled CommonJS dependencies call require(); an ES module has none of its own.
const banner = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

// `node scripts/build.ts forge smithctl` builds only those programs.
const only = process.argv.slice(2);
const chosen = only.length === 0 ? programs : programs.filter((program) => only.includes(program.name));

await Promise.all(
  chosen.map(async ({ name, bundleDependencies }) => {
    // Built beside dist/ and swapped in, so a test running the previous build is not left without files.
    const outdir = `packages/${name}/dist`;
    const staging = `${outdir}.next`;
    await rm(staging, { recursive: true, force: true });
    await build({
      entryPoints: { main: `packages/${name}/src/main.ts` },
      outdir: staging,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      sourcemap: 'linked',
      banner: { js: banner },
      plugins: bundleDependencies ? [] : [externalThirdParty],
      // Node's built-in punycode is deprecated and warns on stderr; bundle the npm package instead.
      alias: { punycode: 'punycode/' },
      logLevel: 'warning',
    });
    await rm(outdir, { recursive: true, force: true });
    await rename(staging, outdir);
  }),
);
