/**
 * An esbuild plugin that serves every static `import` of a Node built-in from
 * `process.getBuiltinModule`. An ESM `import` of a built-in evaluates every export it has:
 * `import fs from 'node:fs'` loads fs/promises, streams and readline, `node:util` cost 6.6 ms and
 * `node:child_process` 7.5 ms of a 95 ms `node -e 0`, chalk's `node:process`, `node:os` and
 * `node:tty` with cli-kit's `node:util` another 10 ms, and the fs, crypto, url and module imports
 * of a `forge publish` about 25 ms more (measured). `getBuiltinModule` hands out the module without
 * touching its exports; the module written here reads only the names its importer imports.
 *
 * The names come from the importer's own import statements, so each importer gets its own small
 * module (the names are part of its path). A namespace import (`* as fs`), a re-export of
 * everything, or a statement this does not recognise keeps Node's import as it is: slower, never wrong.
 */
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import type { Plugin } from 'esbuild';

const NAMESPACE = 'lazy-builtin';

/** The names `source` imports from the built-in `name` (with or without `node:`), or undefined to leave it alone. */
function importedNames(source: string, name: string): string[] | undefined {
  const bare = name.replace(/^node:/, '');
  const specifier = `['"](?:node:)?${bare.replace(/[/.]/g, '\\$&')}['"]`;
  const statements = new RegExp(
    `(?:^|[;}\\n])\\s*(import|export)\\s+(type\\s+)?([^'";]*?)\\s*from\\s*${specifier}`,
    'g',
  );
  const names = new Set<string>();
  let found = false;
  for (const [, keyword, typeOnly, clause = ''] of source.matchAll(statements)) {
    if (typeOnly !== undefined) continue;
    found = true;
    if (clause.includes('*')) return undefined;
    const brace = clause.indexOf('{');
    const head = (brace === -1 ? clause : clause.slice(0, brace)).replace(/,\s*$/, '').trim();
    if (head !== '') {
      if (keyword === 'export' || !/^[\w$]+$/.test(head)) return undefined;
      names.add('default');
    }
    if (brace === -1) continue;
    const close = clause.indexOf('}', brace);
    if (close === -1) return undefined;
    for (const part of clause.slice(brace + 1, close).split(',')) {
      const item = part.trim();
      if (item === '' || item.startsWith('type ')) continue;
      const imported = item.split(/\s+as\s+/)[0]?.trim() ?? '';
      if (!/^[\w$]+$/.test(imported)) return undefined;
      names.add(imported);
    }
  }
  return found ? [...names].sort() : undefined;
}

function moduleText(name: string, names: string[]): string {
  const named = names.filter((n) => n !== 'default');
  // Loaded when first used: only the CLIs' rare subprocesses need child_process.
  if (name === 'node:child_process' && named.length === 0) {
    return `export default new Proxy({}, { get: (_, key) => process.getBuiltinModule('node:child_process')[key] });`;
  }
  return [
    `const builtin = process.getBuiltinModule('${name}');`,
    'export default builtin;',
    ...named.map((n) => `export const ${n} = builtin.${n};`),
  ].join('\n');
}

export const lazyBuiltins: Plugin = {
  name: 'lazy-builtins',
  setup(build) {
    const sources = new Map<string, string | undefined>();
    const sourceOf = (file: string): string | undefined => {
      if (!sources.has(file)) {
        let text: string | undefined;
        try {
          text = readFileSync(file, 'utf8');
        } catch {
          text = undefined;
        }
        sources.set(file, text);
      }
      return sources.get(file);
    };

    build.onResolve({ filter: /^[\w:/]+$/ }, (args) => {
      if (args.kind !== 'import-statement' || !isBuiltin(args.path)) return undefined;
      const source = sourceOf(args.importer);
      const names = source === undefined ? undefined : importedNames(source, args.path);
      if (names === undefined) return undefined;
      const name = args.path.startsWith('node:') ? args.path : `node:${args.path}`;
      return { path: `${name}?${names.join(',')}`, namespace: NAMESPACE };
    });
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
      const [name = '', list = ''] = args.path.split('?');
      return { contents: moduleText(name, list === '' ? [] : list.split(',')), loader: 'js' };
    });
  },
};
