/**
 * A SMUD GitOps repository on disk (layout in DESIGN.md): found from a directory, with its config,
 * and the paths of the files pilar reads. Only the files a command needs are read, so a repo with
 * thousands of products costs a bump no more than a small one.
 */
import { access, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { DeploySmithError } from '@deploysmith/core';
import { CONFIG_FILE, loadConfig, type PilarConfig } from './config.ts';

export interface SmudRepo {
  root: string;
  config: PilarConfig;
}

const PRODUCT_NAME = /^[a-z0-9][a-z0-9._-]*$/;

export const paths = {
  productGroups: 'environments/productGroups.yaml',
  environments: 'environments',
  products: 'products',
  product: (product: string) => `products/${product}/product.yaml`,
  stageDir: (product: string, stage: string) => `products/${product}/${stage}`,
  app: (product: string, stage: string) => `products/${product}/${stage}/app.yaml`,
  values: (product: string, stage: string) => `products/${product}/${stage}/values.yaml`,
};

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function isRepoRoot(dir: string): Promise<boolean> {
  if (await exists(join(dir, CONFIG_FILE))) return true;
  return (await exists(join(dir, 'products'))) && (await exists(join(dir, 'environments')));
}

/** The repo at `start` or the nearest directory above it holding `.pilar.yaml` or products/ + environments/. */
export async function openRepo(start: string = process.cwd()): Promise<SmudRepo> {
  let dir = resolve(start);
  for (;;) {
    if (await isRepoRoot(dir)) return { root: dir, config: await loadConfig(dir) };
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new DeploySmithError('invalid_input', `No SMUD repository at or above ${resolve(start)}`, {
    hint: 'Run pilar inside the GitOps repository (it has products/ and environments/, or a .pilar.yaml), or pass --repo DIR.',
  });
}

export function absolute(repo: SmudRepo, file: string): string {
  return join(repo.root, file);
}

export function relativeToRepo(repo: SmudRepo, path: string): string {
  return relative(repo.root, path);
}

/** Reads a repo file; undefined when it does not exist. */
export async function readRepoFile(repo: SmudRepo, file: string): Promise<string | undefined> {
  try {
    return await readFile(absolute(repo, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function requireRepoFile(
  repo: SmudRepo,
  file: string,
  what: string,
  hint: string,
): Promise<string> {
  const text = await readRepoFile(repo, file);
  if (text === undefined)
    throw new DeploySmithError('not_found', `${what}: ${file} does not exist`, { hint });
  return text;
}

export function checkProductName(name: string, what = 'product'): void {
  if (!PRODUCT_NAME.test(name) || name.length > 253) {
    throw new DeploySmithError('invalid_input', `"${name}" is not a valid ${what} name`, {
      hint: 'Use lower-case letters, digits, ".", "_" and "-", starting with a letter or digit.',
    });
  }
}

export async function productExists(repo: SmudRepo, product: string): Promise<boolean> {
  return exists(absolute(repo, `products/${product}`));
}

/**
 * The product a feature name means: the product itself (`favn-feature-patientlist`) or the short
 * name with the configured prefix (`patientlist`). Only these two directories are looked at.
 */
export async function resolveFeatureProduct(repo: SmudRepo, name: string): Promise<string> {
  checkProductName(name, 'feature');
  const prefixed = name.startsWith(repo.config.featurePrefix) ? name : `${repo.config.featurePrefix}${name}`;
  for (const candidate of [name, prefixed]) {
    if (await productExists(repo, candidate)) return candidate;
  }
  throw new DeploySmithError(
    'not_found',
    `No feature product "${name}": neither products/${name}/ nor products/${prefixed}/ exists`,
    {
      hint: `Create it with \`pilar feature init ${name} --team TEAM --group GROUP\`, or see \`pilar feature list\`.`,
    },
  );
}

export async function requireProduct(repo: SmudRepo, product: string): Promise<void> {
  checkProductName(product);
  if (!(await productExists(repo, product))) {
    throw new DeploySmithError('not_found', `No product "${product}": products/${product}/ does not exist`, {
      hint: 'Check the name against the directories under products/.',
    });
  }
}

/** Stages of a product: its subdirectories. */
export async function listStages(repo: SmudRepo, product: string): Promise<string[]> {
  const entries = await readdir(absolute(repo, `products/${product}`), { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
}

export async function requireStage(
  repo: SmudRepo,
  product: string,
  stage: string,
  file: string,
): Promise<string> {
  checkProductName(stage, 'stage');
  const text = await readRepoFile(repo, file);
  if (text !== undefined) return text;
  const stages = await listStages(repo, product).catch(() => []);
  throw new DeploySmithError('not_found', `${product} has no stage "${stage}": ${file} does not exist`, {
    hint:
      stages.length > 0
        ? `Stages of ${product}: ${stages.join(', ')}.`
        : `Create products/${product}/${stage}/ first.`,
  });
}

/** Every product directory (doctor and list only; bumps never list the repo). */
export async function listProducts(repo: SmudRepo): Promise<string[]> {
  const dir = absolute(repo, 'products');
  if (!(await exists(dir))) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
