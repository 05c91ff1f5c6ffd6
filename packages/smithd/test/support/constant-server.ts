/** The throughput baseline: fastify answering one constant JSON body (read from stdin) on any path. */
import { text } from 'node:stream/consumers';
import Fastify from 'fastify';

const port = Number(process.argv[2]);
const body = await text(process.stdin);
const app = Fastify({ logger: false });
app.get('/*', async (_request, reply) => reply.type('application/json; charset=utf-8').send(body));
await app.listen({ host: '127.0.0.1', port });
process.stdout.write('ready\n');
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
