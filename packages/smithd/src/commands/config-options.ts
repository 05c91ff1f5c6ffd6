/** The configuration flags every smithd command accepts (see the configuration reference in the README). */
import { type Command, Option } from 'commander';

export function addConfigOptions(command: Command): Command {
  return command
    .option('--config <file>', 'YAML configuration file (env SMITHD_CONFIG)')
    .option('--data-dir <dir>', 'data directory (env SMITHD_DATA_DIR; default .deploysmith)')
    .option(
      '--database <url>',
      'sqlite:PATH or postgres://… (env SMITHD_DATABASE_URL; default sqlite:<data-dir>/smithd.db)',
    )
    .option(
      '--storage <url>',
      'file:PATH or s3://bucket[/prefix]?region=…[&endpoint=…] (env SMITHD_STORAGE; default file:<data-dir>/storage)',
    )
    .option(
      '--gitops-repo <name=url[#branch]>',
      'a GitOps repository; repeat for several (env SMITHD_REPOS, comma-separated; default: the embedded <data-dir>/gitops.git)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      '--environments <list>',
      'environments of the embedded repository (env SMITHD_ENVIRONMENTS; default staging,production)',
    )
    .option('--git-author <"Name <email>">', 'commit author of the repositories (env SMITHD_GIT_AUTHOR)')
    .option('--listen <host:port>', 'address to listen on (env SMITHD_LISTEN; default 127.0.0.1:8420)')
    .option('--public-url <url>', 'URL clients reach smithd at, used in upload URLs (env SMITHD_PUBLIC_URL)')
    .option('--tls-cert <file>', 'PEM certificate: serve HTTPS (env SMITHD_TLS_CERT)')
    .option('--tls-key <file>', 'PEM private key of --tls-cert (env SMITHD_TLS_KEY)')
    .option(
      '--insecure-listen',
      'allow plain HTTP on a non-loopback address: TLS ends at an ingress (env SMITHD_INSECURE_LISTEN)',
    )
    .addOption(
      new Option(
        '--kustomize-check <mode>',
        'build environments/<env>/apps with kustomize before each push (env SMITHD_KUSTOMIZE_CHECK)',
      ).choices(['auto', 'always', 'never']),
    )
    .addOption(
      new Option('--log-level <level>', 'log level (env SMITHD_LOG_LEVEL; default info)').choices([
        'fatal',
        'error',
        'warn',
        'info',
        'debug',
        'trace',
        'silent',
      ]),
    );
}
