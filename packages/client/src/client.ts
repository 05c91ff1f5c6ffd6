/** Typed calls to every smithd v1 route. */
import type {
  App,
  AppList,
  Deployment,
  DeploymentList,
  DeploymentListQuery,
  DeployRequest,
  DeployResponse,
  DraftRequest,
  DraftResponse,
  DryRunResponse,
  Policy,
  PolicyList,
  PolicyRequest,
  PublishResponse,
  RegisterAppRequest,
  UploadTarget,
  Version,
  VersionList,
  VersionListQuery,
} from '@deploysmith/core';
import { IDEMPOTENCY_HEADER } from '@deploysmith/core';
import { Http, type HttpOptions } from './http.ts';
import { type UploadOptions, uploadBundle } from './upload.ts';

const seg = encodeURIComponent;

export interface DeployOptions {
  /** Same key, same deployment: retries after a timeout never deploy twice. */
  idempotencyKey?: string;
}

export class SmithClient {
  readonly http: Http;

  constructor(options: HttpOptions) {
    this.http = new Http(options);
  }

  health(): Promise<{ status: string }> {
    return this.http.json({ method: 'GET', path: '/healthz', retry: true });
  }

  registerApp(request: RegisterAppRequest): Promise<App> {
    return this.http.json({ method: 'POST', path: '/v1/apps', body: request });
  }

  listApps(): Promise<AppList> {
    return this.http.json({ method: 'GET', path: '/v1/apps', retry: true });
  }

  getApp(app: string): Promise<App> {
    return this.http.json({ method: 'GET', path: `/v1/apps/${seg(app)}`, retry: true });
  }

  draftVersion(app: string, request: DraftRequest): Promise<DraftResponse> {
    return this.http.json({
      method: 'POST',
      path: `/v1/apps/${seg(app)}/versions`,
      body: request,
      retry: true,
    });
  }

  publishVersion(app: string, id: string): Promise<PublishResponse> {
    return this.http.json({
      method: 'POST',
      path: `/v1/apps/${seg(app)}/versions/${seg(id)}/publish`,
      body: {},
      retry: true,
    });
  }

  listVersions(app: string, query: VersionListQuery = {}): Promise<VersionList> {
    return this.http.json({ method: 'GET', path: `/v1/apps/${seg(app)}/versions`, query, retry: true });
  }

  getVersion(app: string, id: string): Promise<Version> {
    return this.http.json({ method: 'GET', path: `/v1/apps/${seg(app)}/versions/${seg(id)}`, retry: true });
  }

  deploy(
    app: string,
    request: DeployRequest & { dryRun: true },
    options?: DeployOptions,
  ): Promise<DryRunResponse>;
  deploy(app: string, request: DeployRequest, options?: DeployOptions): Promise<DeployResponse>;
  deploy(
    app: string,
    request: DeployRequest,
    options: DeployOptions = {},
  ): Promise<DeployResponse | DryRunResponse> {
    const key = options.idempotencyKey;
    return this.http.json({
      method: 'POST',
      path: `/v1/apps/${seg(app)}/deployments`,
      body: request,
      headers: key === undefined ? {} : { [IDEMPOTENCY_HEADER]: key },
      // A dry run writes nothing, and a keyed deploy is deduplicated by smithd.
      retry: request.dryRun === true || key !== undefined,
    });
  }

  listDeployments(app: string, query: DeploymentListQuery = {}): Promise<DeploymentList> {
    return this.http.json({ method: 'GET', path: `/v1/apps/${seg(app)}/deployments`, query, retry: true });
  }

  unpin(app: string, environment: string): Promise<void> {
    return this.http.json({
      method: 'DELETE',
      path: `/v1/apps/${seg(app)}/pins/${seg(environment)}`,
      retry: true,
    });
  }

  listPolicies(app: string): Promise<PolicyList> {
    return this.http.json({ method: 'GET', path: `/v1/apps/${seg(app)}/policies`, retry: true });
  }

  getPolicy(app: string, environment: string): Promise<Policy> {
    return this.http.json({
      method: 'GET',
      path: `/v1/apps/${seg(app)}/policies/${seg(environment)}`,
      retry: true,
    });
  }

  putPolicy(app: string, environment: string, request: PolicyRequest): Promise<Policy> {
    return this.http.json({
      method: 'PUT',
      path: `/v1/apps/${seg(app)}/policies/${seg(environment)}`,
      body: request,
      retry: true,
    });
  }

  deletePolicy(app: string, environment: string): Promise<void> {
    return this.http.json({
      method: 'DELETE',
      path: `/v1/apps/${seg(app)}/policies/${seg(environment)}`,
      retry: true,
    });
  }

  /** PUT a bundle file to the upload target a draft returned, streaming it from disk. */
  upload(target: UploadTarget, file: string, options: UploadOptions = {}): Promise<void> {
    return uploadBundle(this.http.pool, target, file, options);
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

export type { Deployment };
