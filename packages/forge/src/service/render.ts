/**
 * A service spec rendered into Kubernetes objects: always a Deployment and a Service; a ConfigMap
 * for env, an Ingress for host, a HorizontalPodAutoscaler for autoscaling. Pure and deterministic:
 * the same spec gives the same objects, so rendered manifests in git only change with the spec.
 */
import { createHash } from 'node:crypto';
import type { ServiceSpec } from './spec.ts';

export interface RenderedObject {
  /** File name the object is written to. */
  file: string;
  object: Record<string, unknown>;
}

/** Every file `forge build` may write; stale ones (say ingress.yaml after host was removed) are deleted. */
export const RENDERED_FILES = [
  'deployment.yaml',
  'service.yaml',
  'configmap.yaml',
  'ingress.yaml',
  'hpa.yaml',
] as const;

const PORT_NAME = 'http';

export function renderService(spec: ServiceSpec, options: { image?: string } = {}): RenderedObject[] {
  const labels = { 'app.kubernetes.io/name': spec.name, 'app.kubernetes.io/managed-by': 'forge' };
  const selector = { 'app.kubernetes.io/name': spec.name };
  const meta = (name: string) => ({ name, ...(spec.namespace ? { namespace: spec.namespace } : {}), labels });
  const objects: RenderedObject[] = [];

  const envEntries = Object.entries(spec.env ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const configMapName = `${spec.name}-env`;
  if (envEntries.length > 0) {
    objects.push({
      file: 'configmap.yaml',
      object: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: meta(configMapName),
        data: Object.fromEntries(envEntries),
      },
    });
  }

  const container: Record<string, unknown> = {
    name: spec.name,
    image: options.image ?? spec.image,
    ports: [{ name: PORT_NAME, containerPort: spec.port, protocol: 'TCP' }],
  };
  if (envEntries.length > 0) container.envFrom = [{ configMapRef: { name: configMapName } }];
  const resources = renderResources(spec);
  if (resources) container.resources = resources;
  if (spec.probes?.readiness) container.readinessProbe = renderProbe(spec.probes.readiness);
  if (spec.probes?.liveness) container.livenessProbe = renderProbe(spec.probes.liveness);

  // Pods pick up env changes only when their template changes: the ConfigMap's hash is part of it.
  const podAnnotations =
    envEntries.length > 0
      ? { annotations: { 'deploysmith.dev/config-hash': hashOf(envEntries).slice(0, 16) } }
      : {};
  objects.push({
    file: 'deployment.yaml',
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(spec.name),
      spec: {
        // With an autoscaler the replica count is its business: a GitOps apply must not reset it.
        ...(spec.autoscaling ? {} : { replicas: spec.replicas ?? 1 }),
        selector: { matchLabels: selector },
        template: {
          metadata: { labels, ...podAnnotations },
          spec: { containers: [container] },
        },
      },
    },
  });

  objects.push({
    file: 'service.yaml',
    object: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(spec.name),
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [{ name: PORT_NAME, port: spec.port, targetPort: PORT_NAME, protocol: 'TCP' }],
      },
    },
  });

  if (spec.host) {
    const ingress = spec.ingress ?? {};
    objects.push({
      file: 'ingress.yaml',
      object: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: {
          ...meta(spec.name),
          ...(ingress.annotations ? { annotations: ingress.annotations } : {}),
        },
        spec: {
          ...(ingress.className ? { ingressClassName: ingress.className } : {}),
          ...(ingress.tlsSecret ? { tls: [{ hosts: [spec.host], secretName: ingress.tlsSecret }] } : {}),
          rules: [
            {
              host: spec.host,
              http: {
                paths: [
                  {
                    path: ingress.path ?? '/',
                    pathType: 'Prefix',
                    backend: { service: { name: spec.name, port: { name: PORT_NAME } } },
                  },
                ],
              },
            },
          ],
        },
      },
    });
  }

  if (spec.autoscaling) {
    objects.push({
      file: 'hpa.yaml',
      object: {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: meta(spec.name),
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: spec.name },
          minReplicas: spec.autoscaling.minReplicas,
          maxReplicas: spec.autoscaling.maxReplicas,
          metrics: [
            {
              type: 'Resource',
              resource: {
                name: 'cpu',
                target: {
                  type: 'Utilization',
                  averageUtilization: spec.autoscaling.targetCPUUtilization ?? 80,
                },
              },
            },
          ],
        },
      },
    });
  }
  return objects;
}

function renderResources(spec: ServiceSpec): Record<string, unknown> | undefined {
  const r = spec.resources;
  if (!r) return undefined;
  const requests: Record<string, string> = {};
  if (r.cpu) requests.cpu = r.cpu;
  if (r.memory) requests.memory = r.memory;
  // A memory limit equal to the request: no overcommit of the one resource that kills pods when short.
  const limits: Record<string, string> = {};
  if (r.limits?.cpu) limits.cpu = r.limits.cpu;
  const memoryLimit = r.limits?.memory ?? r.memory;
  if (memoryLimit) limits.memory = memoryLimit;
  const out: Record<string, unknown> = {};
  if (Object.keys(requests).length > 0) out.requests = requests;
  if (Object.keys(limits).length > 0) out.limits = limits;
  return Object.keys(out).length > 0 ? out : undefined;
}

function renderProbe(
  probe: NonNullable<NonNullable<ServiceSpec['probes']>['readiness']>,
): Record<string, unknown> {
  return {
    httpGet: { path: probe.path, port: PORT_NAME },
    ...(probe.initialDelaySeconds === undefined ? {} : { initialDelaySeconds: probe.initialDelaySeconds }),
    ...(probe.periodSeconds === undefined ? {} : { periodSeconds: probe.periodSeconds }),
    ...(probe.failureThreshold === undefined ? {} : { failureThreshold: probe.failureThreshold }),
  };
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
