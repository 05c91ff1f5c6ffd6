/**
 * pilar: `pilar feature bump` in a SMUD repo of 2,000 feature products × 3 stages against the same
 * bump in a repo of 3 products (target ratio ≤ 1.2: a bump reads the files it edits, never the whole
 * repo), plain and with --commit. Both resolve against the same real docker-registry. Needs the
 * built pilar (`pnpm build`), docker-registry and git.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { git } from '../packages/gitops/src/index.ts';
import { binPath } from '../packages/testkit/src/bin.ts';
import { startRegistry } from '../packages/testkit/src/registry.ts';
import { tempDir } from '../packages/testkit/src/temp.ts';
import { requireTool } from '../packages/testkit/src/tools.ts';
import { compare, ms, record, run } from './lib.ts';

requireTool('git');
const pilar = binPath('pilar');
const STAGES = ['development', 'test', 'production'];
const registry = await startRegistry();
const work = await tempDir('pilar-bench-');

/** A SMUD repo with `count` feature products, each in its own domain group, committed to git. */
async function generateRepo(dir: string, count: number): Promise<void> {
  await mkdir(join(dir, 'environments'), { recursive: true });
  const names = Array.from({ length: count }, (_, i) => `favn-feature-f${String(i).padStart(4, '0')}`);
  const groups = names
    .map((name) => `${name.slice('favn-feature-'.length)}-domain:\n  - ${name}\n`)
    .join('\n');
  await writeFile(join(dir, 'environments/productGroups.yaml'), groups);
  const deployed = names.map((name) => `      - ${name.slice('favn-feature-'.length)}-domain\n`).join('');
  await writeFile(
    join(dir, 'environments/all.yaml'),
    `applications:\n  - stage: production\n    productGroups:\n${deployed}`,
  );
  for (const name of names) {
    await mkdir(join(dir, 'products', name), { recursive: true });
    await writeFile(
      join(dir, 'products', name, 'product.yaml'),
      `productName: ${name}\nresponsible: team-x\nchartName: favn-feature-register\n`,
    );
    for (const stage of STAGES) {
      await mkdir(join(dir, 'products', name, stage));
      await writeFile(
        join(dir, 'products', name, stage, 'app.yaml'),
        'helm:\n  chartVersion: 1.0.0\nuseGoTemplate: true\n',
      );
      await writeFile(
        join(dir, 'products', name, stage, 'values.yaml'),
        `valuesFile:\n  enabled: true\n  featureId: feature-${name}\n  image: "registry.example/${name}@sha256:${'0'.repeat(64)}"\n  dependencyManager:\n    enabled: true\n    dependencies:\n      - name: favn-host\n`,
      );
    }
  }
  await git(dir, ['init', '-q', '-b', 'main']);
  await git(dir, ['config', 'user.name', 'bench']);
  await git(dir, ['config', 'user.email', 'bench@example.com']);
  await git(dir, ['add', '-A']);
  await git(dir, ['commit', '-q', '-m', 'generated']);
}

try {
  const images = [`${registry.host}/favn-feature-f0001:1.0.0`, `${registry.host}/favn-feature-f0001:2.0.0`];
  await registry.pushIndex('favn-feature-f0001', '1.0.0');
  await registry.pushIndex('favn-feature-f0001', '2.0.0');
  const large = join(work.path, 'large');
  const small = join(work.path, 'small');
  await generateRepo(large, 2000);
  await generateRepo(small, 3);

  // Each run switches the image, so every bump really writes (and, with --commit, commits).
  const bumper = (dir: string, extra: string[]) => {
    let turn = 0;
    return () =>
      run(
        pilar,
        ['feature', 'bump', 'f0001', '--stage', 'production', '--image', images[turn++ % 2] ?? '', ...extra],
        { cwd: dir },
      );
  };

  for (const [label, extra] of [
    ['pilar feature bump', []],
    ['pilar feature bump --commit', ['--commit']],
  ] as const) {
    if (extra.length > 0) {
      // The plain runs left the file edited; start the commit runs from a clean tree.
      for (const dir of [large, small]) await git(dir, ['checkout', '-q', '--', '.']);
    }
    const { subject, baseline } = await compare(bumper(large, [...extra]), bumper(small, [...extra]), 20);
    const ratio = subject.medianMs / baseline.medianMs;
    record({
      name: `${label}: 2,000 products × 3 stages vs 3 products`,
      subject: ms(subject.medianMs),
      baseline: ms(baseline.medianMs),
      ratio,
      target: '≤ 1.2',
      ok: ratio <= 1.2,
    });
  }
} finally {
  await registry.stop();
  await work.remove();
}
