/**
 * `smithd` / `smithd serve`: opens everything, creates the first admin key when there is none,
 * settles deploys left pending by a crash, starts the draft janitor and listens.
 */
import { printDiagnostic } from '@deploysmith/cli-kit';
import { ensureAdminKey } from '../../auth/manage.ts';
import type { ConfigFlags } from '../../config/layers.ts';
import { loadConfig } from '../../config/resolve.ts';
import { openContext } from '../../context.ts';
import { startJanitor } from '../../storage/janitor.ts';

export async function serve(flags: ConfigFlags): Promise<void> {
  const config = loadConfig({ flags });
  const context = await openContext(config);
  // The working clones are fetched and cleaned by git, in other processes, while this one loads
  // the HTTP server and compiles its routes: a restart after a crash serves again that much sooner.
  const repos = [...context.repos.values()];
  const opened = Promise.allSettled(repos.map((repo) => repo.open()));
  const adminKeyFile = await ensureAdminKey(context.database, config.dataDir);
  const { buildServer } = await import('../../server.ts');
  const app = await buildServer(context);
  await app.ready();

  for (const [index, result] of (await opened).entries()) {
    const name = repos[index]?.config.name;
    if (result.status === 'rejected')
      app.log.warn({ repo: name, err: result.reason }, `GitOps repository ${name} is not reachable yet`);
  }
  await context.deploys.settleAll((repo, error) =>
    app.log.warn(
      { repo, err: error },
      `pending deploys of ${repo} stay pending: the repository cannot be read`,
    ),
  );
  const janitor = startJanitor(context, app.log);

  await app.listen({ host: config.listen.host, port: config.listen.port });
  if (adminKeyFile) printDiagnostic(`smithd: created the first admin API key; it is in ${adminKeyFile}`);
  printDiagnostic(`smithd: listening on ${config.publicUrl} (data in ${config.dataDir})`);

  let closing = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal}: shutting down`);
    janitor.stop();
    await app.close();
    await context.close();
    process.exit(0);
  };
  process.once('SIGTERM', (signal) => void shutdown(signal));
  process.once('SIGINT', (signal) => void shutdown(signal));
}
