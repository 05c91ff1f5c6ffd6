/**
 * A real PostgreSQL server for tests: a fresh cluster in a temp dir on a free loopback port.
 * PostgreSQL refuses to run as root, so as root the cluster belongs to `nobody` and every server
 * program runs through `runuser`.
 */
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { freePort } from './ports.ts';
import { requireTool } from './tools.ts';

export interface PostgresHandle {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` */
  url: string;
  port: number;
  /** A URL for a new, empty database on this server. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server without removing its data (to test an unreachable database). */
  pause(): Promise<void>;
  /** Starts it again after `pause()`. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

const UNPRIVILEGED = 'nobody';

/** Creates an empty database `name` on the server of `serverUrl`; returns its URL. */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name ${name}`);
  const psql = requireTool('psql');
  await execa(psql, [serverUrl, '-v', 'ON_ERROR_STOP=1', '-qc', `CREATE DATABASE ${name}`]);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function startPostgres(): Promise<PostgresHandle> {
  const initdb = requireTool('initdb');
  const pgCtl = requireTool('pg_ctl');
  requireTool('postgres');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) requireTool('runuser');
  const run = (command: string, args: string[]) =>
    asRoot ? execa('runuser', ['-u', UNPRIVILEGED, '--', command, ...args]) : execa(command, args);

  const dir = await mkdtemp(join(tmpdir(), 'deploysmith-pg-'));
  if (asRoot) {
    const { stdout } = await execa('id', ['-u', UNPRIVILEGED]);
    const { stdout: gid } = await execa('id', ['-g', UNPRIVILEGED]);
    await chown(dir, Number(stdout), Number(gid));
  }
  const data = join(dir, 'data');
  const port = await freePort();
  await run(initdb, ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const options = `-p ${port} -k ${dir} -h 127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200`;
  const start = () => run(pgCtl, ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', 'start']);
  const stopServer = () => run(pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop']);
  await start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;

  let running = true;
  return {
    url,
    port,
    createDatabase: (name) => createDatabase(url, name),
    async pause() {
      if (running) await stopServer();
      running = false;
    },
    async resume() {
      if (!running) await start();
      running = true;
    },
    async stop() {
      if (running) await stopServer().catch(() => undefined);
      running = false;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
