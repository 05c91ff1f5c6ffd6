/**
 * smithctl: start-up of `smithctl --help` against `node -e 0` (target ≤ 1.5), and
 * `smithctl versions APP --json` against a real running smithd holding 10,000 versions of the app,
 * also against `node -e 0` (target ≤ 3.0). The versions are written straight into smithd's SQLite
 * database before it starts, as smithd's own bench stores its 100,000 (publishing each through the
 * API took about four minutes here, the whole budget of `pnpm bench`, and the listing reads the same
 * rows either way); a few more are then published and one deployed through the real API, so the
 * list ends with versions smithd made itself. Needs the built programs (`pnpm build`).
 */
import { join } from 'node:path';
import { execa } from 'execa';
import { SmithClient } from '../packages/client/src/index.ts';
import { seedVersions } from '../packages/smithd/test/support/seed-versions.ts';
import { binPath } from '../packages/testkit/src/bin.ts';
import { sampleManifests } from '../packages/testkit/src/gitops.ts';
import { publishVersion, startSmithd } from '../packages/testkit/src/smithd.ts';
import { tempDir } from '../packages/testkit/src/temp.ts';
import { compare, ms, record, run } from './lib.ts';

const smithctl = binPath('smithctl');
const VERSIONS = Number(process.env.SMITHCTL_BENCH_VERSIONS ?? 10_000);
/** Of the VERSIONS, how many go through the API (draft, upload, publish) after the stored ones. */
const PUBLISHED = 5;

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
const dataDir = join(work.path, 'data');
await execa(binPath('smithd'), ['migrate', '--data-dir', dataDir]);
const app = 'bench';
const started = performance.now();
// The app (staging and production), its versions, and a deploy to each environment.
seedVersions(dataDir, app, VERSIONS - PUBLISHED);
const smithd = await startSmithd({ dataDir });
const client = new SmithClient({ server: smithd.url, apiKey: smithd.apiKey });
try {
  for (let index = VERSIONS - PUBLISHED + 1; index <= VERSIONS; index++)
    await publishVersion(smithd, app, `v${index}`, sampleManifests(app, `v${index}`));
  // The newest deployed through the API, so the listing's first page carries what smithd recorded.
  await client.deploy(app, { version: `v${VERSIONS}`, environment: 'staging' });
  const listed = (await client.listVersions(app)).items;
  if (listed[0]?.id !== `v${VERSIONS}` || !listed[0].deployedTo.includes('staging'))
    throw new Error(`unexpected first version: ${JSON.stringify(listed[0])}`);
  console.log(
    `seeded ${VERSIONS} versions in ${((performance.now() - started) / 1000).toFixed(1)} s ` +
      `(${VERSIONS - PUBLISHED} stored in SQLite, ${PUBLISHED} published and one deployed through the API)`,
  );

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
