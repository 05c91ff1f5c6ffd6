/** `forge build` as a library call: read and check the spec, pin the image if asked, render, write. */
import { basename } from 'node:path';
import { DeploySmithError } from '@deploysmith/core';
import { readServiceSpec } from './read-spec.ts';
import { renderService } from './render.ts';
import { writeManifests } from './write-manifests.ts';

/** Turns an image reference into `name@sha256:…` (the registry client, or a stand-in in tests). */
export type PinImage = (image: string) => Promise<string>;

export interface BuildInput {
  specFile: string;
  outDir: string;
  pinImage?: PinImage;
}

export interface BuildResult {
  outDir: string;
  files: string[];
  /** The image the Deployment runs (pinned when asked). */
  image: string;
}

export async function buildService(input: BuildInput): Promise<BuildResult> {
  const spec = await readServiceSpec(input.specFile);
  const image = input.pinImage ? await input.pinImage(spec.image) : spec.image;
  if (input.pinImage && !image.includes('@sha256:')) {
    throw new DeploySmithError('internal', `Pinning ${spec.image} gave ${image}, which has no digest.`);
  }
  const objects = renderService(spec, { image });
  const files = await writeManifests(input.outDir, objects, basename(input.specFile));
  return { outDir: input.outDir, files, image };
}
