/**
 * The deploy service: checks a request against the database, records the deploy `pending` before
 * the git write, applies it under the repo's lock, and records how it ended. Exactly once: a retry
 * with the same Idempotency-Key finds the first deployment, and pending deploys are settled from
 * git before the next write.
 */
import { randomUUID } from 'node:crypto';
import {
  type DeploymentKind,
  type DeployResponse,
  DeploySmithError,
  type DryRunResponse,
} from '@deploysmith/core';
import type { ManifestFile } from '@deploysmith/manifests';
import { type AppRow, appEnvironments, getApp } from '../db/apps.ts';
import type { Database } from '../db/connect.ts';
import { currentDeployment, type DeploymentRow, getDeployment, toDeployment } from '../db/deployments.ts';
import { getIdempotencyKey } from '../db/idempotency.ts';
import { getVersion, publishedPositions, type VersionRow } from '../db/versions.ts';
import type { GitOpsRepo } from '../repo/types.ts';
import { recordFailed, recordNoop, recordPending, recordSucceeded } from './records.ts';
import { settlePending } from './settle.ts';

export interface DeployInput {
  app: string;
  version: string;
  environment: string;
  /** The API key's name. */
  requestedBy: string;
  /** Set by auto-deploy; otherwise deploy or rollback, from the versions' publish order. */
  kind?: 'auto-deploy';
  idempotencyKey?: string;
  /** The version's manifests, when the caller has just read them (a publish): not read again. */
  files?: ManifestFile[];
}

export interface DeployOutcome extends DeployResponse {
  /** True when the response is the one an earlier request with the same Idempotency-Key got. */
  replayed: boolean;
}

export interface DeployServiceOptions {
  database: Database;
  repos: ReadonlyMap<string, GitOpsRepo>;
  /** The version's manifests as published. */
  readFiles(app: string, version: string): Promise<ManifestFile[]>;
}

export class DeployService {
  readonly #database: Database;
  readonly #repos: ReadonlyMap<string, GitOpsRepo>;
  readonly #readFiles: DeployServiceOptions['readFiles'];

  constructor(options: DeployServiceOptions) {
    this.#database = options.database;
    this.#repos = options.repos;
    this.#readFiles = options.readFiles;
  }

  async deploy(input: DeployInput): Promise<DeployOutcome> {
    const { app, repo } = await this.#check(input);
    const db = this.#database.db;
    if (input.idempotencyKey !== undefined) {
      const replay = await this.#replay(input, input.idempotencyKey, true);
      if (replay) return replay;
    }
    const files = input.files ?? (await this.#readFiles(app.name, input.version));
    return repo.exclusive(async () => {
      await settlePending(this.#database, repo);
      if (input.idempotencyKey !== undefined) {
        const replay = await this.#replay(input, input.idempotencyKey, false);
        if (replay) return replay;
      }
      const current = await currentDeployment(db, app.name, input.environment);
      if (current?.version === input.version) {
        if (input.idempotencyKey !== undefined)
          await recordNoop(this.#database, current, input.idempotencyKey);
        return { deployment: toDeployment(current), noop: true, replayed: false };
      }
      // Automation never moves an environment back: when two publishes race, or a publish that was
      // interrupted is finished later, a version published after this one may be running already.
      if (
        input.kind === 'auto-deploy' &&
        (await this.#manualKind(app.name, input.version, current)) === 'rollback'
      )
        return { deployment: toDeployment(current as DeploymentRow), noop: true, replayed: false };
      const kind = input.kind ?? (await this.#manualKind(app.name, input.version, current));
      const id = randomUUID();
      await recordPending(
        this.#database,
        {
          id,
          repo: repo.config.name,
          app: app.name,
          environment: input.environment,
          version: input.version,
          kind,
          status: 'pending',
          commit: null,
          previous_version: current?.version ?? null,
          requested_by: input.requestedBy,
          created_at: new Date().toISOString(),
          finished_at: null,
          error: null,
        },
        input.idempotencyKey,
      );
      let commit: string;
      try {
        ({ commit } = await repo.apply(
          {
            deployId: id,
            app: app.name,
            environment: input.environment,
            version: input.version,
            kind,
            requestedBy: input.requestedBy,
            files,
          },
          { plan: false },
        ));
      } catch (error) {
        await this.#recordFailure(repo, id, error);
        // The remote may say the push landed after all.
        const settled = await getDeployment(db, id);
        if (settled?.status === 'succeeded')
          return { deployment: toDeployment(settled), noop: false, replayed: false };
        throw error;
      }
      const row = await recordSucceeded(this.#database, id, commit);
      return { deployment: toDeployment(row), noop: false, replayed: false };
    });
  }

  /** The plan of a deploy: its diff and checks; writes nothing (database, working clone, remote). */
  async dryRun(input: DeployInput): Promise<DryRunResponse> {
    const { app, repo } = await this.#check(input);
    const files = await this.#readFiles(app.name, input.version);
    return repo.exclusive(async () => {
      const current = await currentDeployment(this.#database.db, app.name, input.environment);
      const kind =
        input.kind ??
        (current?.version === input.version
          ? 'deploy'
          : await this.#manualKind(app.name, input.version, current));
      const plan = await repo.plan({
        deployId: `dry-run-${randomUUID()}`,
        app: app.name,
        environment: input.environment,
        version: input.version,
        kind,
        requestedBy: input.requestedBy,
        files,
      });
      return {
        dryRun: true,
        app: app.name,
        environment: input.environment,
        version: input.version,
        kind,
        previousVersion: current?.version ?? null,
        plan,
      };
    });
  }

  /**
   * Starts the kustomize build of the app folder a version's files make, ahead of deploying them
   * (see `GitOpsRepo.verifyAhead`); never throws.
   */
  async verifyAhead(app: AppRow, files: ManifestFile[]): Promise<void> {
    const repo = this.#repos.get(app.repo);
    await repo?.verifyAhead(app.name, files).catch(() => undefined);
  }

  /** Settles every pending deploy (start-up); a repo that cannot be reached is left for later. */
  async settleAll(onError: (repo: string, error: unknown) => void): Promise<void> {
    for (const repo of this.#repos.values()) {
      try {
        await repo.exclusive(() => settlePending(this.#database, repo));
      } catch (error) {
        onError(repo.config.name, error);
      }
    }
  }

  repoOf(app: AppRow): GitOpsRepo {
    const repo = this.#repos.get(app.repo);
    if (!repo) {
      throw new DeploySmithError(
        'gitops_unreachable',
        `The GitOps repository ${app.repo} of app ${app.name} is not configured.`,
        {
          hint: `Add a repository named ${app.repo} to the smithd configuration (repos:) and restart smithd.`,
        },
      );
    }
    return repo;
  }

  async #check(input: DeployInput): Promise<{ app: AppRow; version: VersionRow; repo: GitOpsRepo }> {
    const db = this.#database.db;
    const app = await getApp(db, input.app);
    if (!app) {
      throw new DeploySmithError('not_found', `No app named ${input.app}.`, {
        hint: 'Register it first (POST /v1/apps, or forge publish registers it).',
      });
    }
    const environments = appEnvironments(app);
    if (!environments.includes(input.environment)) {
      throw new DeploySmithError(
        'invalid_input',
        `App ${app.name} has no environment ${input.environment}.`,
        {
          hint: `Its environments are: ${environments.join(', ')}.`,
          details: [{ field: 'environment', message: `unknown environment ${input.environment}` }],
        },
      );
    }
    const version = await getVersion(db, app.name, input.version);
    if (!version) {
      throw new DeploySmithError('not_found', `App ${app.name} has no version ${input.version}.`, {
        hint: `List its versions with: smithctl versions ${app.name}`,
      });
    }
    if (version.state !== 'published') {
      throw new DeploySmithError(
        'conflict',
        `Version ${input.version} of ${app.name} is a draft and cannot be deployed.`,
        {
          hint: 'Publish it first (forge publish uploads and publishes).',
        },
      );
    }
    return { app, version, repo: this.repoOf(app) };
  }

  /** A rollback when the version was published before the one running there now. */
  async #manualKind(
    app: string,
    version: string,
    current: DeploymentRow | undefined,
  ): Promise<DeploymentKind> {
    if (!current) return 'deploy';
    const positions = await publishedPositions(this.#database.db, app, [version, current.version]);
    const target = positions.get(version);
    const running = positions.get(current.version);
    return target !== undefined && running !== undefined && target < running ? 'rollback' : 'deploy';
  }

  /**
   * The deployment an earlier request with this key made. Outside the lock only a finished answer
   * is returned; a pending one is settled under the lock first.
   */
  async #replay(input: DeployInput, key: string, outsideLock: boolean): Promise<DeployOutcome | undefined> {
    const db = this.#database.db;
    const bound = await getIdempotencyKey(db, input.app, key);
    if (!bound) return undefined;
    if (bound.environment !== input.environment || bound.version !== input.version) {
      throw new DeploySmithError(
        'conflict',
        `Idempotency-Key ${key} was used for ${bound.version} to ${bound.environment}, not ${input.version} to ${input.environment}.`,
        { hint: 'Use a new Idempotency-Key for a different deploy.' },
      );
    }
    const row = await getDeployment(db, bound.deployment_id);
    if (!row || (outsideLock && row.status === 'pending')) return undefined;
    return { deployment: toDeployment(row), noop: bound.noop === 1, replayed: true };
  }

  /**
   * A failure before the commit was pushed is final. When the repo stopped answering (or something
   * unexpected broke), the push may have reached it anyway: ask the remote; if it cannot say, the
   * deploy stays pending and is settled before the next write or at start-up.
   */
  async #recordFailure(repo: GitOpsRepo, id: string, error: unknown): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    const outcomeUnknown = !(error instanceof DeploySmithError) || error.code === 'gitops_unreachable';
    if (outcomeUnknown) {
      const row = await getDeployment(this.#database.db, id);
      try {
        if (row) await settlePending(this.#database, repo, [row], reason);
      } catch {
        // Still unreachable: stays pending; settled before the next write to this repo.
      }
      return;
    }
    await recordFailed(this.#database, id, reason);
  }
}
