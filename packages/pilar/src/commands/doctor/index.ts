import { withExamples } from '@deploysmith/cli-kit';
import { Command } from 'commander';
import { type RepoOptions, repoOptions } from '../options.ts';

export interface DoctorOptions extends RepoOptions {
  manifest?: string;
  stage?: string;
}

export function doctorCommand(): Command {
  const command = new Command('doctor')
    .description('check the repo for what SMUD releases trip over (exit 1 when an error is found)')
    .option(
      '--manifest <path>',
      "a feature's manifest.json: check infrastructure.services against its dependencyManager",
    )
    .option('--stage <stage>', 'with --manifest: check only this stage');
  repoOptions(command);
  withExamples(command, [
    'pilar doctor',
    'pilar doctor --manifest ../patientlist/manifest.json --stage development --json',
  ]);
  return command.action(async (options: DoctorOptions) => {
    const { doctor } = await import('./doctor.ts');
    await doctor(options);
  });
}
