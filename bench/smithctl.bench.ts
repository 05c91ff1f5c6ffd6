/**
 * smithctl: start-up of `smithctl --help` against `node -e 0` (target ≤ 1.5), and
 * `smithctl versions APP --json` against a local smithd holding 10,000 versions of the app, also
 * against `node -e 0` (target ≤ 3.0). The versions are seeded through the real API (draft, upload,
 * publish, as forge does), many at a time. Needs the built programs (`pnpm build`).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packBundle } from '../packages/bundle/src/index.ts';
import { SmithClient } from '../packages/client/src/index.ts';
import type { VersionMetadata } from '../packages/core/src/index.ts';
import { binPath } from '../packages/testkit/src/bin.ts';
import { sampleManifests } from '../packages/testkit/src/gitops.ts';
import { startSmithd } from '../packages/testkit/src/smithd.ts';
import { tempDir } from '../packages/testkit/src/temp.ts';
import { compare, ms, record, run } from './lib.ts';

const smithctl = binPath('smithctl');
const VERSIONS = Number(process.env.SMITHCTL_BENCH_VERSIONS ?? 10_000);
const SEED_CONCURRENCY = 16;

// --- 1. start-up ---------------------------------------------------------------------------------
{
  const { subject, baseline } = await compare(
    () => run(smithctl, ['--help']),
    () => run('node', ['-e', '0']),
    30,
  );
  const ratio = subject.medianMs / baseline.medianMs;
  record({
    name: 'smithctl --help start-up',
    subject: ms(subject.medianMs),
    baseline: `${ms(baseline.medianMs)} (node -e 0)`,
    ratio,
    target: '≤ 1.5',
    ok: ratio <= 1.5,
  });
}

// --- 2. versions --json against 10,000 versions ----------------------------------------------------
const work = await tempDir('smithctl-bench-');
const smithd = await startSmithd();
const client = new SmithClient({ server: smithd.url, apiKey: smithd.apiKey });
try {
  const app = 'bench';
  await client.registerApp({ name: app, environments: ['staging'] });
  const started = performance.now();
  await seedVersions(client, app, VERSIONS, work.path);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `seeded ${VERSIONS} versions through the API in ${seconds.toFixed(1)} s (${SEED_CONCURRENCY} at a time)`,
  );
  // One of them deployed, so the listing carries a deployed environment as it would in real use.
  await client.deploy(app, { version: versionId(VERSIONS - 1), environment: 'staging' });

  const env = { SMITH_URL: smithd.url, SMITH_API_KEY: smithd.apiKey, XDG_CONFIG_HOME: work.path };
  const { subject, baseline } = await compare(
    () => run(smithctl, ['versions', app, '--json'], { env }),
    () => run('node', ['-e', '0']),
    20,
  );
  const ratio = subject.medianMs / baseline.medianMs;
  record({
    name: `smithctl versions --json (${VERSIONS} versions)`,
    subject: ms(subject.medianMs),
    baseline: `${ms(baseline.medianMs)} (node -e 0)`,
    ratio,
    target: '≤ 3.0',
    ok: ratio <= 3.0,
  });
} finally {
  await client.close();
  await smithd.stop();
  await work.remove();
}

function versionId(index: number): string {
  return `1.0.${index}`;
}

/** Publishes `count` versions through the API, `SEED_CONCURRENCY` at a time, oldest first in order of ids. */
async function seedVersions(client: SmithClient, app: string, count: number, dir: string): Promise<void> {
  const manifests = join(dir, 'manifests');
  await mkdir(manifests, { recursive: true });
  for (const file of sampleManifests(app, 'bench')) await writeFile(join(manifests, file.path), file.content);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const id = versionId(index);
      const metadata: VersionMetadata = {
        gitSha: index.toString(16).padStart(7, '0'),
        branch: index % 10 === 0 ? 'release' : 'main',
        tag: null,
        committer: 'bench@example.com',
        buildNumber: String(index),
        pipelineUrl: null,
        createdAt: new Date(Date.UTC(2025, 0, 1) + index * 60_000).toISOString(),
      };
      const output = join(dir, `bundle-${index}.tar.gz`);
      const { sha256, size } = await packBundle({
        versionFile: { app, id, ...metadata },
        manifestsDir: manifests,
        output,
      });
      const draft = await client.draftVersion(app, { id, metadata, sha256, size });
      if (draft.upload) await client.upload(draft.upload, output);
      await client.publishVersion(app, id);
    }
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
}
