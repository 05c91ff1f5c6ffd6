/**
 * `pilar doctor`: what the SMUD seed warns about, found in the repo: mutable tags where digests
 * belong, products in several groups, feature products in none, groups no environment deploys,
 * environments naming groups that do not exist, and (with --manifest) a feature's manifest.json
 * `infrastructure.services` out of step with its dependencyManager.
 */
import { readdir, readFile } from 'node:fs/promises';
import { DeploySmithError } from '@deploysmith/core';
import { absolute, listProducts, listStages, paths, readRepoFile, type SmudRepo } from '../repo/smud-repo.ts';
import { readEnvironment } from '../smud/environments.ts';
import { readProductGroups } from '../smud/product-groups.ts';
import { type Dependency, readValuesText } from '../smud/values-file.ts';
import { parseYaml } from '../yaml/parse.ts';

export interface Finding {
  severity: 'error' | 'warning';
  check:
    | 'mutable-tag'
    | 'several-groups'
    | 'no-group'
    | 'unused-group'
    | 'unknown-group'
    | 'unknown-product'
    | 'manifest';
  message: string;
  file?: string;
}

export interface DoctorReport {
  ok: boolean;
  errors: number;
  warnings: number;
  findings: Finding[];
}

const PINNED = /@sha(256|512):[a-f0-9]+$/;

export async function runDoctor(
  repo: SmudRepo,
  options: { manifest?: string; stage?: string } = {},
): Promise<DoctorReport> {
  const findings: Finding[] = [];
  const products = await listProducts(repo);
  const productSet = new Set(products);
  const groupsText = (await readRepoFile(repo, paths.productGroups)) ?? '';
  const groups = readProductGroups(parseYaml(groupsText, paths.productGroups), paths.productGroups);

  // Images: production stages must pin digests.
  const values = new Map<string, Map<string, { dependencies: Dependency[] }>>();
  await Promise.all(
    products.map(async (product) => {
      const byStage = new Map<string, { dependencies: Dependency[] }>();
      values.set(product, byStage);
      for (const stage of await listStages(repo, product)) {
        const file = paths.values(product, stage);
        const text = await readRepoFile(repo, file);
        if (text === undefined) continue;
        const doc = parseYaml(text, file);
        if (!doc.has('valuesFile')) continue; // not a feature registration values file
        const read = readValuesText(text, file);
        byStage.set(stage, { dependencies: read.dependencies });
        if (read.image === undefined || read.image === '') {
          findings.push({
            severity: 'error',
            check: 'mutable-tag',
            file,
            message: `${product} has no image in ${stage}`,
          });
        } else if (!PINNED.test(read.image)) {
          const production = repo.config.productionStages.includes(stage);
          findings.push({
            severity: production ? 'error' : 'warning',
            check: 'mutable-tag',
            file,
            message: `${product} runs the mutable tag ${read.image} in ${stage}${production ? '; production must pin a digest' : ''} (pilar feature bump ${product} --stage ${stage} --image ${read.image})`,
          });
        }
      }
    }),
  );

  // Groups: one group per product, every feature in a group, every member a product.
  const groupsOf = new Map<string, string[]>();
  for (const [group, members] of groups) {
    for (const product of members) {
      groupsOf.set(product, [...(groupsOf.get(product) ?? []), group]);
      if (!productSet.has(product)) {
        findings.push({
          severity: 'error',
          check: 'unknown-product',
          file: paths.productGroups,
          message: `group ${group} lists ${product}, but products/${product}/ does not exist`,
        });
      }
    }
  }
  for (const [product, memberOf] of groupsOf) {
    if (memberOf.length > 1) {
      findings.push({
        severity: 'error',
        check: 'several-groups',
        file: paths.productGroups,
        message: `${product} is in ${memberOf.length} groups (${memberOf.join(', ')}); SMUD expands each on its own, so keep it in one`,
      });
    }
  }
  for (const product of products) {
    if (product.startsWith(repo.config.featurePrefix) && !groupsOf.has(product)) {
      findings.push({
        severity: 'error',
        check: 'no-group',
        file: paths.productGroups,
        message: `feature product ${product} is in no group, so no environment deploys it (pilar group add GROUP ${product})`,
      });
    }
  }

  // Environments: which groups are deployed anywhere, and do they exist.
  const used = new Set<string>();
  for (const file of await environmentFiles(repo)) {
    const text = (await readRepoFile(repo, file)) ?? '';
    for (const application of readEnvironment(parseYaml(text, file), file)) {
      for (const group of application.productGroups) {
        used.add(group);
        if (!groups.has(group)) {
          findings.push({
            severity: 'error',
            check: 'unknown-group',
            file,
            message: `stage ${application.stage} deploys group ${group}, which ${paths.productGroups} does not define`,
          });
        }
      }
    }
  }
  for (const group of groups.keys()) {
    if (!used.has(group)) {
      findings.push({
        severity: 'warning',
        check: 'unused-group',
        file: paths.productGroups,
        message: `group ${group} is used by no environment`,
      });
    }
  }

  if (options.manifest !== undefined)
    findings.push(...(await checkManifest(repo, options.manifest, values, options.stage)));

  const errors = findings.filter((f) => f.severity === 'error').length;
  return { ok: errors === 0, errors, warnings: findings.length - errors, findings };
}

async function environmentFiles(repo: SmudRepo): Promise<string[]> {
  const entries = await readdir(absolute(repo, paths.environments)).catch(() => [] as string[]);
  return entries
    .filter((name) => /\.ya?ml$/.test(name) && `${paths.environments}/${name}` !== paths.productGroups)
    .sort()
    .map((name) => `${paths.environments}/${name}`);
}

interface ManifestService {
  name: string;
  minVersion?: string;
}

function manifestServices(value: unknown, file: string): { product?: string; services: ManifestService[] } {
  const invalid = (why: string) =>
    new DeploySmithError('invalid_input', `${file}: ${why}`, {
      hint: 'manifest.json lists backends as infrastructure.services: [{ "name": "…", "minVersion": "…" }].',
    });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid('not a JSON object');
  const manifest = value as {
    id?: unknown;
    name?: unknown;
    featureId?: unknown;
    infrastructure?: { services?: unknown };
  };
  const services = manifest.infrastructure?.services ?? [];
  if (!Array.isArray(services)) throw invalid('infrastructure.services is not a list');
  const id = [manifest.featureId, manifest.id, manifest.name].find((v): v is string => typeof v === 'string');
  return {
    ...(id === undefined ? {} : { product: id }),
    services: services.map((service: unknown, index) => {
      if (typeof service === 'string') {
        const [name = '', minVersion] = service.split('@');
        return minVersion === undefined ? { name } : { name, minVersion };
      }
      const entry = service as { name?: unknown; minVersion?: unknown; version?: unknown } | null;
      if (entry === null || typeof entry.name !== 'string')
        throw invalid(`infrastructure.services[${index}] has no name`);
      const min =
        typeof entry.minVersion === 'string'
          ? entry.minVersion
          : typeof entry.version === 'string'
            ? entry.version
            : undefined;
      return min === undefined ? { name: entry.name } : { name: entry.name, minVersion: min };
    }),
  };
}

/** -1, 0 or 1, comparing dotted numeric parts (pre-release suffixes compare as text). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/);
  const pb = b.split(/[.+-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const nx = Number(x);
    const ny = Number(y);
    const order = Number.isNaN(nx) || Number.isNaN(ny) ? x.localeCompare(y) : nx - ny;
    if (order !== 0) return Math.sign(order);
  }
  return 0;
}

async function checkManifest(
  repo: SmudRepo,
  manifestPath: string,
  values: Map<string, Map<string, { dependencies: Dependency[] }>>,
  onlyStage: string | undefined,
): Promise<Finding[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(manifestPath, 'utf8'));
  } catch (error) {
    throw new DeploySmithError(
      'invalid_input',
      `Cannot read the manifest ${manifestPath}: ${(error as Error).message}`,
    );
  }
  const manifest = manifestServices(parsed, manifestPath);
  const prefix = repo.config.featurePrefix;
  const id = (manifest.product ?? '').replace(/^feature-/, '');
  const product = id.startsWith(prefix) ? id : `${prefix}${id}`;
  const stages = values.get(product);
  if (id === '' || stages === undefined) {
    throw new DeploySmithError(
      'not_found',
      `${manifestPath} names feature "${manifest.product ?? ''}", and products/${product}/ has no values.yaml`,
      {
        hint: 'The manifest needs an "id" (or "name"/"featureId") matching the feature product.',
      },
    );
  }
  const findings: Finding[] = [];
  const platform = new Set(repo.config.platformDependencies);
  for (const [stage, { dependencies }] of stages) {
    if (onlyStage !== undefined && stage !== onlyStage) continue;
    const file = paths.values(product, stage);
    for (const service of manifest.services) {
      const dep = dependencies.find((d) => d.name === service.name);
      if (dep === undefined) {
        findings.push({
          severity: 'error',
          check: 'manifest',
          file,
          message: `manifest.json needs ${service.name}${service.minVersion ? ` >= ${service.minVersion}` : ''}, but ${stage} does not list it in dependencyManager`,
        });
      } else if (
        service.minVersion !== undefined &&
        (dep.minVersion === undefined || compareVersions(dep.minVersion, service.minVersion) < 0)
      ) {
        findings.push({
          severity: 'error',
          check: 'manifest',
          file,
          message: `manifest.json needs ${service.name} >= ${service.minVersion}, but ${stage} requires ${dep.minVersion === undefined ? 'any version' : `>= ${dep.minVersion}`}`,
        });
      }
    }
    for (const dep of dependencies) {
      if (!platform.has(dep.name) && !manifest.services.some((s) => s.name === dep.name)) {
        findings.push({
          severity: 'warning',
          check: 'manifest',
          file,
          message: `${stage} depends on ${dep.name}, which manifest.json infrastructure.services does not list`,
        });
      }
    }
  }
  return findings;
}
