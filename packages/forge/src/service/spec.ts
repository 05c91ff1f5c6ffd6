/**
 * The service spec `forge build` renders into Kubernetes manifests: what a small web service needs,
 * in words that do not require knowing Kubernetes. `service.schema.json` (next to package.json) is
 * this schema as JSON Schema, for editors; a test keeps it in sync.
 */
import Type, { type Static } from 'typebox';

const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const DNS_NAME = '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
/** Kubernetes quantities: 100m, 0.5, 128Mi, 1G. */
const QUANTITY = '^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$';
const ENV_NAME = '^[A-Za-z_][A-Za-z0-9_]*$';

const Quantity = (description: string) => Type.String({ pattern: QUANTITY, maxLength: 32, description });

const Probe = Type.Object(
  {
    path: Type.String({
      pattern: '^/',
      maxLength: 1024,
      description: 'HTTP path that answers 2xx/3xx when healthy',
    }),
    initialDelaySeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
    periodSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
    failureThreshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

export const ServiceSpec = Type.Object(
  {
    name: Type.String({
      pattern: DNS_LABEL,
      minLength: 1,
      maxLength: 63,
      description: 'Name of the Deployment, Service and the rest; a DNS label such as "hello-world"',
    }),
    namespace: Type.Optional(
      Type.String({
        pattern: DNS_LABEL,
        maxLength: 63,
        description: 'Namespace; left out, the one Flux applies to',
      }),
    ),
    image: Type.String({
      minLength: 1,
      maxLength: 1024,
      pattern: '^[^\\s]+$',
      description:
        'Container image, e.g. ghcr.io/acme/hello:1.4.0; `forge build --pin-digests` pins it to a digest',
    }),
    port: Type.Integer({ minimum: 1, maximum: 65535, description: 'Port the container listens on (HTTP)' }),
    replicas: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1000,
        description: 'Pods to run (default 1; ignored with autoscaling)',
      }),
    ),
    env: Type.Optional(
      Type.Record(Type.String({ pattern: ENV_NAME }), Type.String({ maxLength: 65536 }), {
        additionalProperties: false,
        description: 'Environment variables; rendered into a ConfigMap (no secrets here)',
      }),
    ),
    resources: Type.Optional(
      Type.Object(
        {
          cpu: Type.Optional(Quantity('CPU request, e.g. 100m')),
          memory: Type.Optional(Quantity('Memory request and limit, e.g. 128Mi')),
          limits: Type.Optional(
            Type.Object(
              { cpu: Type.Optional(Quantity('CPU limit')), memory: Type.Optional(Quantity('Memory limit')) },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    host: Type.Optional(
      Type.String({ pattern: DNS_NAME, maxLength: 253, description: 'Public host name: renders an Ingress' }),
    ),
    ingress: Type.Optional(
      Type.Object(
        {
          className: Type.Optional(
            Type.String({ pattern: DNS_LABEL, maxLength: 63, description: 'IngressClass' }),
          ),
          path: Type.Optional(
            Type.String({ pattern: '^/', maxLength: 1024, description: 'Path prefix (default /)' }),
          ),
          tlsSecret: Type.Optional(
            Type.String({
              pattern: DNS_LABEL,
              maxLength: 253,
              description: 'Secret with the TLS certificate for host',
            }),
          ),
          annotations: Type.Optional(Type.Record(Type.String(), Type.String())),
        },
        { additionalProperties: false, description: 'Ingress options; used only with host' },
      ),
    ),
    autoscaling: Type.Optional(
      Type.Object(
        {
          minReplicas: Type.Integer({ minimum: 1, maximum: 1000 }),
          maxReplicas: Type.Integer({ minimum: 1, maximum: 1000 }),
          targetCPUUtilization: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 100,
              description: 'Average CPU use to aim for, percent (default 80)',
            }),
          ),
        },
        {
          additionalProperties: false,
          description: 'Renders a HorizontalPodAutoscaler; needs resources.cpu',
        },
      ),
    ),
    probes: Type.Optional(
      Type.Object(
        { readiness: Type.Optional(Probe), liveness: Type.Optional(Probe) },
        { additionalProperties: false, description: 'HTTP health checks on port' },
      ),
    ),
  },
  {
    additionalProperties: false,
    $id: 'https://deploysmith.dev/schemas/forge-service.json',
    title: 'forge service spec',
    description: 'A small service that `forge build` renders into Kubernetes manifests',
  },
);
export type ServiceSpec = Static<typeof ServiceSpec>;

/** The JSON Schema document of the spec (what `forge build --print-schema` prints). */
export function serviceJsonSchema(): Record<string, unknown> {
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...JSON.parse(JSON.stringify(ServiceSpec)) };
}
