// Loaded with `node --import` (NODE_OPTIONS): appends the URL of every module the process loads to
// the file named by DEPLOYSMITH_MODULE_LOG, to prove which dependencies a command pulls in.
import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const log = process.env.DEPLOYSMITH_MODULE_LOG;
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    if (log) appendFileSync(log, `${resolved.url}\n`);
    return resolved;
  },
});
