/** `pilar feature list`: every feature registration product and the image each stage runs. */
import { shortImage } from '../changes/commit-message.ts';
import { listProducts, listStages, paths, readRepoFile, type SmudRepo } from '../repo/smud-repo.ts';
import { readValuesText } from '../smud/values-file.ts';

export interface StageImage {
  image: string | null;
  digest: string | null;
  tag: string | null;
  /** `sha256:1a2b3c4d5e6f`, `:1.3.0`, or `(none)`. */
  short: string;
}

export interface FeatureRow {
  product: string;
  /** The short name: the product without the feature prefix. */
  feature: string;
  stages: Record<string, StageImage>;
}

export interface FeatureList {
  stages: string[];
  features: FeatureRow[];
}

function describeImage(image: string | undefined): StageImage {
  if (image === undefined || image === '') return { image: null, digest: null, tag: null, short: '(none)' };
  const digest = /@(sha(256|512):[a-f0-9]+)$/.exec(image)?.[1] ?? null;
  const tag =
    digest === null ? (/:([\w][\w.-]*)$/.exec(image.slice(image.lastIndexOf('/') + 1))?.[1] ?? null) : null;
  return { image, digest, tag, short: shortImage(image) };
}

export async function listFeatures(repo: SmudRepo, options: { stage?: string } = {}): Promise<FeatureList> {
  const products = (await listProducts(repo)).filter((p) => p.startsWith(repo.config.featurePrefix));
  const stageSet = new Set<string>();
  const features = await Promise.all(
    products.map(async (product): Promise<FeatureRow> => {
      const stages = (await listStages(repo, product)).filter(
        (s) => options.stage === undefined || s === options.stage,
      );
      const row: FeatureRow = {
        product,
        feature: product.slice(repo.config.featurePrefix.length),
        stages: {},
      };
      for (const stage of stages) {
        const file = paths.values(product, stage);
        const text = await readRepoFile(repo, file);
        if (text === undefined) continue;
        stageSet.add(stage);
        row.stages[stage] = describeImage(readValuesText(text, file).image);
      }
      return row;
    }),
  );
  // Stages in the order teams promote through them: the usual ones first, then the rest by name.
  const usual = ['development', 'dev', 'test', 'staging', 'qa', 'production', 'prod'];
  const rank = (stage: string) => (usual.includes(stage) ? usual.indexOf(stage) : usual.length);
  const stages = [...stageSet].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return { stages, features };
}
