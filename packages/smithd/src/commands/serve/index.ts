import { withExamples } from '@deploysmith/cli-kit';
import type { Command } from 'commander';
import type { ConfigFlags } from '../../config/layers.ts';
import { addConfigOptions } from '../config-options.ts';

export function registerServe(program: Command): void {
  const command = program
    .command('serve', { isDefault: true })
    .description('Run the control plane (the default command)');
  addConfigOptions(command);
  withExamples(command, [
    'smithd',
    'smithd --data-dir /var/lib/smithd --listen 0.0.0.0:8420 --tls-cert cert.pem --tls-key key.pem',
    'smithd --config /etc/smithd.yaml',
    'smithd --gitops-repo gitops=git@github.com:acme/gitops.git#main --public-url https://smithd.acme.dev',
  ]);
  command.action(async (flags: ConfigFlags) => {
    const { serve } = await import('./serve.ts');
    await serve(flags);
  });
}
