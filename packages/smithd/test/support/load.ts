/**
 * HTTP load for the benchmark, with autocannon (raw sockets, so the load generator is not the
 * bottleneck), and a plain fastify server answering a constant body: the baseline a route is
 * measured against.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

export interface Throughput {
  requestsPerSecond: number;
  latencyP50Ms: number;
  errors: number;
}

export async function measureThroughput(
  url: string,
  options: {
    headers?: Record<string, string>;
    seconds?: number;
    connections?: number;
    /** Paths (with query) to request in turn, instead of the URL's own. */
    paths?: string[];
  } = {},
): Promise<Throughput> {
  const paths = options.paths;
  let turn = 0;
  const result = await autocannon({
    url,
    headers: options.headers,
    duration: options.seconds ?? 5,
    connections: options.connections ?? 16,
    ...(paths === undefined || paths.length === 0
      ? {}
      : {
          requests: [
            {
              setupRequest: (request) => ({ ...request, path: paths[turn++ % paths.length] as string }),
            },
          ],
        }),
  });
  return {
    requestsPerSecond: result.requests.average,
    latencyP50Ms: result.latency.p50,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

/**
 * Starts `constant-server.ts` on `port` answering every GET with `body`, behind `prefix` (a
 * command such as `taskset -c 1`); returns how to stop it.
 */
export async function startConstantServer(
  port: number,
  body: string,
  prefix: string[] = [],
): Promise<{ stop(): Promise<void> }> {
  const script = fileURLToPath(new URL('./constant-server.ts', import.meta.url));
  const [command, ...args] = [...prefix, process.execPath, script, String(port)];
  const child = spawn(command as string, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.end(body);
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`constant server exited with ${code}`)));
    child.stdout.once('data', () => resolve());
  });
  return {
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
