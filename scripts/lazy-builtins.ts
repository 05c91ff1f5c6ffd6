/**
 * An esbuild plugin for the built-in modules that every CLI start imports: commander's, chalk's
 * and cli-kit's (the `--help` path). An ESM `import` of a built-in evaluates every export it has:
 * `import fs from 'node:fs'` loads fs/promises, streams and readline, `node:util` cost 6.6 ms and
 * `node:child_process` 7.5 ms of a 95 ms `node -e 0`, and chalk's `node:process`, `node:os` and
 * `node:tty` with cli-kit's `node:util` another 10 ms (measured). `process.getBuiltinModule` hands
 * out the module without touching its exports, and child_process (needed only to spawn executable
 * subcommands, which our CLIs have none of) is not loaded until used. A name these start to import
 * that is not listed here fails the build, never the program.
 */
import type { Plugin } from 'esbuild';

/** The named imports commander makes of each built-in. */
const NAMED: Record<string, string[]> = {
  'node:events': ['EventEmitter'],
  'node:util': ['stripVTControlCharacters'],
};

function moduleText(name: string): string {
  if (name === 'node:child_process') {
    return `export default new Proxy({}, { get: (_, key) => process.getBuiltinModule('node:child_process')[key] });`;
  }
  const named = (NAMED[name] ?? []).map((export_) => `export const ${export_} = builtin.${export_};`);
  return [`const builtin = process.getBuiltinModule('${name}');`, 'export default builtin;', ...named].join(
    '\n',
  );
}

export const lazyBuiltins: Plugin = {
  name: 'lazy-builtins',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) =>
      args.kind === 'import-statement' && /[\\/](commander|chalk|cli-kit)[\\/]/.test(args.importer)
        ? { path: args.path, namespace: 'lazy-builtin' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: moduleText(args.path),
      loader: 'js',
    }));
  },
};
