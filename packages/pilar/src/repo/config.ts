/**
 * `.pilar.yaml` at the repo root: the few conventions that differ between SMUD repos. Every key is
 * optional; the defaults are those of the seed.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeploySmithError } from '@deploysmith/core';
import Type, { type Static } from 'typebox';
import Value from 'typebox/value';
import { parseYaml } from '../yaml/parse.ts';

export const CONFIG_FILE = '.pilar.yaml';

const Name = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]*$', maxLength: 253 });

export const PilarConfigFile = Type.Object(
  {
    /** Feature registration products are named `<featurePrefix><short name>`. */
    featurePrefix: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9._-]*$', maxLength: 100 })),
    /** The shared chart of feature registration products. */
    sharedChart: Type.Optional(Name),
    /** Chart version `feature init` writes into app.yaml. */
    chartVersion: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** Stages `feature init` creates when --stages is not given. */
    stages: Type.Optional(Type.Array(Name, { minItems: 1 })),
    /** Stages where a mutable tag is an error (doctor) and promotion requires a digest. */
    productionStages: Type.Optional(Type.Array(Name)),
    /** Registries reached over plain HTTP. */
    insecureRegistries: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    /** Dependencies that are not backends of a feature (doctor ignores them in manifest checks). */
    platformDependencies: Type.Optional(Type.Array(Name)),
  },
  { additionalProperties: false },
);

export interface PilarConfig {
  featurePrefix: string;
  sharedChart: string;
  chartVersion: string;
  stages: string[];
  productionStages: string[];
  insecureRegistries: string[];
  platformDependencies: string[];
}

export const DEFAULT_CONFIG: PilarConfig = {
  featurePrefix: 'favn-feature-',
  sharedChart: 'favn-feature-register',
  chartVersion: '1.0.0',
  stages: ['development', 'production'],
  productionStages: ['production'],
  insecureRegistries: [],
  platformDependencies: ['favn-host'],
};

export async function loadConfig(root: string): Promise<PilarConfig> {
  let text: string;
  try {
    text = await readFile(join(root, CONFIG_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_CONFIG;
    throw error;
  }
  const value: unknown = parseYaml(text, CONFIG_FILE).toJS() ?? {};
  if (!Value.Check(PilarConfigFile, value)) {
    const details = [...Value.Errors(PilarConfigFile, value)].slice(0, 5).map((error) => ({
      file: CONFIG_FILE,
      field: error.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(root)',
      message: error.message,
    }));
    throw new DeploySmithError('invalid_input', `${CONFIG_FILE} is not a valid pilar configuration`, {
      hint: 'Known keys: featurePrefix, sharedChart, chartVersion, stages, productionStages, insecureRegistries, platformDependencies.',
      details,
    });
  }
  const file = value as Static<typeof PilarConfigFile>;
  return { ...DEFAULT_CONFIG, ...file };
}
