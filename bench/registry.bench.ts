/**
 * Registry client: resolving 50 image references with one `pilar resolve` against 50 sequential
 * `skopeo inspect --raw` calls, the usual way CI scripts pin digests (target: ≥ 10× faster, ratio
 * ≤ 0.1). Both run against the same real docker-registry on a loopback port. Needs the built
 * pilar (`pnpm build`), docker-registry and skopeo.
 */
import { binPath } from '../packages/testkit/src/bin.ts';
import { startRegistry } from '../packages/testkit/src/registry.ts';
import { requireTool } from '../packages/testkit/src/tools.ts';
import { compare, ms, record, run } from './lib.ts';

const skopeo = requireTool('skopeo');
const pilar = binPath('pilar');
const registry = await startRegistry();

try {
  // 50 references over 10 repositories: single-platform images and multi-platform indexes.
  const refs: string[] = [];
  for (let repo = 0; repo < 10; repo++) {
    for (let tag = 0; tag < 5; tag++) {
      const repository = `team-${repo}/app`;
      if (tag % 2 === 0) await registry.pushIndex(repository, `1.${tag}.0`);
      else await registry.pushImage(repository, `1.${tag}.0`);
      refs.push(`${registry.host}/${repository}:1.${tag}.0`);
    }
  }

  const { subject, baseline } = await compare(
    () => run(pilar, ['resolve', ...refs]),
    async () => {
      for (const ref of refs)
        await run(skopeo, ['inspect', '--raw', '--tls-verify=false', `docker://${ref}`]);
    },
    5,
  );
  const ratio = subject.medianMs / baseline.medianMs;
  record({
    name: 'resolve 50 refs: pilar resolve vs 50 × skopeo inspect --raw',
    subject: ms(subject.medianMs),
    baseline: ms(baseline.medianMs),
    ratio,
    target: '≤ 0.1 (≥ 10× faster)',
    ok: ratio <= 0.1,
  });
} finally {
  await registry.stop();
}
