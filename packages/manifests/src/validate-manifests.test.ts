import { DeploySmithError } from '@deploysmith/core';
import { describe, expect, it } from 'vitest';
import type { ManifestFile } from './index.ts';
import { assertValidManifests, formatProblem, parseManifestObjects, validateManifests } from './index.ts';

const file = (path: string, text: string): ManifestFile => ({
  path,
  content: new TextEncoder().encode(text),
});

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app.kubernetes.io/name: web
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
          resources:
            requests: { cpu: 100m, memory: 64Mi }
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: { app: web }
  ports:
    - port: 80
      targetPort: http
`;

const INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service: { name: web, port: { number: 80 } }
`;

const CONFIGMAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  LOG_LEVEL: info
  config.json: '{"a": 1}'
`;

const HPA = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } }
`;

const HELM_RELEASE = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: redis
  namespace: shop
spec:
  interval: 10m
  anything: { goes: [here] }
`;

const CERTIFICATE = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: shop-tls
spec:
  secretName: shop-tls
  dnsNames: [shop.example.com]
`;

async function problemsOf(...files: ManifestFile[]) {
  return (await validateManifests(files)).problems;
}

describe('validateManifests', () => {
  it('accepts a Deployment, Service, Ingress, ConfigMap, HPA and custom resources, listing their objects', async () => {
    const result = await validateManifests([
      file('deploy.yaml', `${DEPLOYMENT}---\n${SERVICE}`),
      file('ingress.yml', INGRESS),
      file('config/configmap.yaml', `---\n# nothing here yet\n---\n${CONFIGMAP}---\n`),
      file('hpa.yaml', HPA),
      file('crds.yaml', `${HELM_RELEASE}---\n${CERTIFICATE}`),
      file('kustomization.yaml', 'resources:\n  - deploy.yaml\n'),
    ]);
    expect(result.problems).toEqual([]);
    expect(
      result.objects.map(
        (o) => `${o.file}#${o.document}:${o.line} ${o.apiVersion} ${o.kind} ${o.namespace ?? '-'}/${o.name}`,
      ),
    ).toEqual([
      'deploy.yaml#0:1 apps/v1 Deployment shop/web',
      'deploy.yaml#1:24 v1 Service -/web',
      'ingress.yml#0:1 networking.k8s.io/v1 Ingress -/web',
      'config/configmap.yaml#1:4 v1 ConfigMap -/web-config',
      'hpa.yaml#0:1 autoscaling/v2 HorizontalPodAutoscaler -/web',
      'crds.yaml#0:1 helm.toolkit.fluxcd.io/v2 HelmRelease shop/redis',
      'crds.yaml#1:10 cert-manager.io/v1 Certificate -/shop-tls',
    ]);
  });

  it('reports a missing kind with file, line and document', async () => {
    const problems = await problemsOf(
      file('a.yaml', `${CONFIGMAP}---\napiVersion: v1\nmetadata:\n  name: x\n`),
    );
    expect(problems).toEqual([
      { file: 'a.yaml', line: 9, document: 1, field: 'kind', message: 'kind is missing' },
    ]);
  });

  it('reports a missing metadata.name at the metadata line', async () => {
    const problems = await problemsOf(
      file('a.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: { a: b }\n'),
    );
    expect(problems).toEqual([
      { file: 'a.yaml', line: 3, document: 0, field: 'metadata.name', message: 'metadata.name is missing' },
    ]);
  });

  it('reports wrong field types against the Kubernetes schema: replicas as a string, containers not a list', async () => {
    const text = DEPLOYMENT.replace('replicas: 2', 'replicas: "three"').replace(
      /containers:[\s\S]*$/,
      'containers:\n        name: web\n        image: nginx\n',
    );
    const problems = await problemsOf(file('deploy.yaml', text));
    expect(problems).toEqual([
      {
        file: 'deploy.yaml',
        line: 9,
        document: 0,
        field: 'spec.replicas',
        message: 'spec.replicas must be an integer, not the string "three"',
      },
      {
        file: 'deploy.yaml',
        line: 16,
        document: 0,
        field: 'spec.template.spec.containers',
        message: 'spec.template.spec.containers must be a list, not a mapping',
      },
    ]);
  });

  it('reports a required field the schema asks for', async () => {
    const problems = await problemsOf(file('svc.yaml', `${SERVICE}    - protocol: TCP\n`));
    expect(problems).toEqual([
      {
        file: 'svc.yaml',
        line: 10,
        document: 0,
        field: 'spec.ports[1].port',
        message: 'spec.ports[1].port is required',
      },
    ]);
  });

  it('reports a field the schema does not know, such as a misspelt imagePullPolicy', async () => {
    const text = DEPLOYMENT.replace(
      'image: nginx:1.27',
      'image: nginx:1.27\n          imagePullPolice: Always',
    );
    const problems = await problemsOf(file('deploy.yaml', text));
    expect(problems).toEqual([
      {
        file: 'deploy.yaml',
        line: 19,
        document: 0,
        field: 'spec.template.spec.containers[0].imagePullPolice',
        message: 'spec.template.spec.containers[0].imagePullPolice is not a field of apps/v1 Deployment',
      },
    ]);
  });

  it('accepts any keys in free-form maps (labels, annotations, ConfigMap data) and embedded objects', async () => {
    const text = `apiVersion: apps/v1
kind: ControllerRevision
metadata: { name: rev, annotations: { any/thing: x } }
revision: 1
data: { whatever: { nested: [1, 2] } }
`;
    expect(await problemsOf(file('cm.yaml', CONFIGMAP), file('rev.yaml', text))).toEqual([]);
  });

  it('reports invalid values: quantities, enums and int-or-string', async () => {
    const text = DEPLOYMENT.replace('cpu: 100m', 'cpu: lots');
    const problems = await problemsOf(
      file('deploy.yaml', text),
      file('svc.yaml', SERVICE.replace('targetPort: http', 'targetPort: [80]')),
    );
    expect(problems.map((p) => `${p.file}:${p.line} ${p.message}`)).toEqual([
      'deploy.yaml:22 spec.template.spec.containers[0].resources.requests.cpu must be a number or a quantity such as "500m" or "1Gi", not the string "lots"',
      'svc.yaml:9 spec.ports[0].targetPort must be a string or an integer, not a list',
    ]);
  });

  it.each([
    ['Web', 'apps', 'metadata.name "Web" must be a DNS subdomain'],
    ['web_1', 'apps', 'metadata.name "web_1" must be a DNS subdomain'],
    ['../etc', 'apps', 'metadata.name "../etc" must be a DNS subdomain'],
    ['a/b', 'apps', 'metadata.name "a/b" must be a DNS subdomain'],
    ['1web', 'svc', 'metadata.name "1web" must be a DNS-1035 label'],
    ['web.shop', 'svc', 'metadata.name "web.shop" must be a DNS-1035 label'],
  ])('reports the invalid name %j', async (name, kind, message) => {
    const text =
      kind === 'svc'
        ? SERVICE.replace('name: web', `name: ${JSON.stringify(name)}`)
        : DEPLOYMENT.replace('name: web\n  namespace', `name: ${JSON.stringify(name)}\n  namespace`);
    const [problem, ...rest] = await problemsOf(file('x.yaml', text));
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ file: 'x.yaml', line: 4, document: 0, field: 'metadata.name' });
    expect(problem?.message).toContain(message);
  });

  it('accepts RBAC names with colons, and a namespace must be a DNS label', async () => {
    const role =
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: "system:shop:reader"\nrules: []\n';
    expect(await problemsOf(file('role.yaml', role))).toEqual([]);
    const problems = await problemsOf(
      file('cm.yaml', CONFIGMAP.replace('name: web-config', 'name: web-config\n  namespace: Shop.Prod')),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        line: 5,
        field: 'metadata.namespace',
        message: expect.stringContaining('must be a DNS label'),
      }),
    ]);
  });

  it('reports a built-in group with a kind or version Kubernetes does not serve', async () => {
    const problems = await problemsOf(
      file('a.yaml', 'apiVersion: apps/v1\nkind: Deploymnet\nmetadata: { name: a }\n'),
      file('b.yaml', 'apiVersion: apps/v9\nkind: Deployment\nmetadata: { name: b }\n'),
    );
    expect(problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^a\.yaml:2: kind Deploymnet is not served by apps\/v1, which has .*Deployment/),
      expect.stringMatching(/^b\.yaml:1: apiVersion apps\/v9 has no Deployment; use apiVersion apps\/v1/),
    ]);
  });

  it('reports a duplicate object across two files, naming both', async () => {
    const problems = await problemsOf(
      file('a.yaml', CONFIGMAP),
      file('nested/b.yaml', `${SERVICE}---\n${CONFIGMAP}`),
    );
    expect(problems).toEqual([
      {
        file: 'nested/b.yaml',
        line: 14,
        document: 1,
        field: 'metadata.name',
        message: 'ConfigMap web-config is defined twice: here and in a.yaml:1',
      },
    ]);
  });

  it('tells objects of the same name apart by namespace and group', async () => {
    const other = CONFIGMAP.replace('name: web-config', 'name: web-config\n  namespace: other');
    const problems = await problemsOf(file('a.yaml', CONFIGMAP), file('b.yaml', other));
    expect(problems).toEqual([]);
  });

  it('reports documents that are not objects, and files that are not manifests', async () => {
    const problems = await problemsOf(
      file('a.yaml', '- just\n- a list\n'),
      file('README.md', '# hi\n'),
      file('b.yaml', 'hello\n'),
    );
    expect(problems.map(formatProblem)).toEqual([
      'a.yaml:1: the document is a list, not a Kubernetes object (a mapping with apiVersion, kind and metadata)',
      'README.md: the file is not a manifest: a version holds only .yaml and .yml files',
      'b.yaml:1: the document is the string "hello", not a Kubernetes object (a mapping with apiVersion, kind and metadata)',
    ]);
  });

  it('accepts files with only comments or separators, but not a version without any object', async () => {
    expect(
      await problemsOf(
        file('a.yaml', CONFIGMAP),
        file('empty.yaml', ''),
        file('c.yaml', '# off\n---\n---\n'),
      ),
    ).toEqual([]);
    expect((await problemsOf(file('empty.yaml', '# nothing\n'))).map(formatProblem)).toEqual([
      'there are no Kubernetes objects in the manifests',
    ]);
    expect(await problemsOf()).toHaveLength(1);
  });
});

describe('assertValidManifests', () => {
  it('throws invalid_manifests naming the first problem and listing all of them', async () => {
    const error = await assertValidManifests([
      file('deploy.yaml', DEPLOYMENT.replace('replicas: 2', 'replicas: "three"')),
      file('b.yaml', 'apiVersion: v1\nmetadata: { name: x }\n'),
    ]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DeploySmithError);
    const { code, status, message, details, hint } = error as DeploySmithError;
    expect({ code, status }).toEqual({ code: 'invalid_manifests', status: 422 });
    expect(message).toBe(
      'Invalid manifests: deploy.yaml:9: spec.replicas must be an integer, not the string "three" (and 1 more problem)',
    );
    expect(details).toHaveLength(2);
    expect(hint).toBeTruthy();
  });

  it('returns the objects of valid manifests', async () => {
    const objects = await assertValidManifests([file('svc.yaml', SERVICE)]);
    expect(objects).toEqual([
      {
        file: 'svc.yaml',
        document: 0,
        line: 1,
        apiVersion: 'v1',
        kind: 'Service',
        name: 'web',
        namespace: undefined,
      },
    ]);
  });
});

describe('parseManifestObjects', () => {
  it('lists the objects of one file without schema validation', () => {
    const result = parseManifestObjects(
      file('a.yaml', `${DEPLOYMENT.replace('replicas: 2', 'replicas: many')}---\n${SERVICE}`),
    );
    expect(result.problems).toEqual([]);
    expect(result.objects.map((o) => `${o.kind}/${o.name}@${o.line}`)).toEqual([
      'Deployment/web@1',
      'Service/web@24',
    ]);
  });

  it('has no objects for a kustomization or a file that is not YAML', () => {
    expect(parseManifestObjects(file('kustomization.yaml', 'resources: [a.yaml]\n'))).toEqual({
      objects: [],
      problems: [],
    });
    expect(parseManifestObjects(file('notes.txt', 'kind: x'))).toEqual({ objects: [], problems: [] });
  });
});
