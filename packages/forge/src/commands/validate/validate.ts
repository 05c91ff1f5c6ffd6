import { createOutput, print, printJson } from '@deploysmith/cli-kit';
import { validateManifestDir } from '../../manifests/validate-dir.ts';
import type { ValidateOptions } from './options.ts';

export async function runValidate(dir: string, options: ValidateOptions): Promise<void> {
  const output = createOutput({ json: options.json });
  const result = await validateManifestDir(dir);
  if (output.json) {
    printJson({ valid: true, dir, ...result });
    return;
  }
  const files = result.files.length === 1 ? '1 file' : `${result.files.length} files`;
  const objects = result.objects === 1 ? '1 object' : `${result.objects} objects`;
  print(`${output.color.green('✔')} ${dir}: ${objects} in ${files}, all valid.`);
}
