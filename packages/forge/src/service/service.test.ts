import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateManifests } from '@deploysmith/manifests';
import { tempDir } from '@deploysmith/testkit/temp';
import { requireTool } from '@deploysmith/testkit/tools';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildService } from './build-service.ts';
import { parseServiceSpec } from './read-spec.ts';
import { renderService } from './render.ts';
import { type ServiceSpec, serviceJsonSchema } from './spec.ts';
import { manifestText } from './write-manifests.ts';

const FULL: ServiceSpec = {
  name: 'hello-world',
  namespace: 'web',
  image: 'ghcr.io/acme/hello-world:1.4.0',
  port: 8080,
  replicas: 2,
  env: { LOG_LEVEL: 'info', GREETING: 'hello' },
  resources: { cpu: '100m', memory: '128Mi', limits: { cpu: '500m' } },
  host: 'hello.example.com',
  ingress: { className: 'traefik', tlsSecret: 'hello-tls' },
  autoscaling: { minReplicas: 2, maxReplicas: 5, targetCPUUtilization: 70 },
  probes: { readiness: { path: '/ready' }, liveness: { path: '/healthz', initialDelaySeconds: 5 } },
};

function asFiles(spec: ServiceSpec) {
  return renderService(spec).map((o) => ({
    path: o.file,
    content: Buffer.from(manifestText(o.object, 'service.yaml')),
  }));
}

describe('renderService', () => {
  it('renders only a Deployment and a Service from a minimal spec', () => {
    const objects = renderService({ name: 'api', image: 'nginx:1.27', port: 80 });
    expect(objects.map((o) => [o.file, o.object.kind])).toEqual([
      ['deployment.yaml', 'Deployment'],
      ['service.yaml', 'Service'],
    ]);
    expect(objects[0]?.object).toMatchObject({ spec: { replicas: 1 } });
  });

  it('renders ConfigMap, Ingress and HorizontalPodAutoscaler when the spec asks for them', () => {
    const kinds = renderService(FULL).map((o) => o.object.kind);
    expect(kinds.sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'HorizontalPodAutoscaler',
      'Ingress',
      'Service',
    ]);
  });

  it('leaves the replica count to the autoscaler when there is one', () => {
    const deployment = renderService(FULL).find((o) => o.object.kind === 'Deployment')?.object as {
      spec: Record<string, unknown>;
    };
    expect(deployment.spec).not.toHaveProperty('replicas');
  });

  it('rolls the pods when env changes, through a hash in the pod template', () => {
    const hash = (spec: ServiceSpec) =>
      JSON.stringify(renderService(spec).find((o) => o.object.kind === 'Deployment')?.object).match(
        /config-hash":"(\w+)/,
      )?.[1];
    expect(hash(FULL)).toBeDefined();
    expect(hash({ ...FULL, env: { ...FULL.env, LOG_LEVEL: 'debug' } })).not.toBe(hash(FULL));
    expect(hash({ ...FULL, env: { GREETING: 'hello', LOG_LEVEL: 'info' } })).toBe(hash(FULL));
  });

  it('renders manifests that pass the validator smithd uses', async () => {
    const files = asFiles(FULL);
    // Shared label objects must be written out, not as YAML anchors and aliases.
    for (const file of files) expect(Buffer.from(file.content).toString()).not.toMatch(/[&*]a\d/);
    const { problems, objects } = await validateManifests(files);
    expect(problems).toEqual([]);
    expect(objects).toHaveLength(5);
  });

  it('renders manifests that kubectl kustomize builds, as smithd will lay them out', async () => {
    const kubectl = requireTool('kubectl');
    await using dir = await tempDir('forge-render-');
    const files = renderService(FULL);
    for (const o of files) await writeFile(join(dir.path, o.file), manifestText(o.object, 'service.yaml'));
    await writeFile(join(dir.path, 'kustomization.yaml'), stringify({ resources: files.map((o) => o.file) }));
    const { stdout } = await execa(kubectl, ['kustomize', dir.path]);
    for (const kind of ['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'Ingress', 'Service']) {
      expect(stdout).toContain(`kind: ${kind}`);
    }
  });
});

describe('parseServiceSpec', () => {
  it('names the file, line and field of every problem', () => {
    const text =
      'name: Hello\nimage: nginx\nport: 70000\nreplica: 2\nprobes:\n  readiness:\n    path: healthz\n';
    let error: unknown;
    try {
      parseServiceSpec(text, 'service.yaml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      code: 'invalid_input',
      details: [
        { file: 'service.yaml', line: 1, field: 'name' },
        { file: 'service.yaml', line: 3, field: 'port', message: 'must be <= 65535' },
        { file: 'service.yaml', line: 4, field: 'replica', message: 'unknown field "replica"' },
        { file: 'service.yaml', line: 7, field: 'probes.readiness.path' },
      ],
    });
  });

  it('reports missing fields, YAML syntax errors and rules across fields', () => {
    expect(() => parseServiceSpec('name: x\n', 's.yaml')).toThrow(
      expect.objectContaining({
        details: [expect.objectContaining({ message: 'missing required field(s): image, port' })],
      }),
    );
    expect(() => parseServiceSpec('name: [x\n', 's.yaml')).toThrow(
      expect.objectContaining({
        details: [expect.objectContaining({ file: 's.yaml', line: expect.any(Number) })],
      }),
    );
    expect(() =>
      parseServiceSpec(
        'name: x\nimage: y\nport: 1\nautoscaling:\n  minReplicas: 3\n  maxReplicas: 2\n',
        's.yaml',
      ),
    ).toThrow(
      expect.objectContaining({
        details: [
          expect.objectContaining({ line: 5, field: 'autoscaling.minReplicas' }),
          expect.objectContaining({ line: 4, message: expect.stringMatching(/resources\.cpu/) }),
        ],
      }),
    );
    expect(() => parseServiceSpec('name: x\nimage: y\nport: 1\nenv:\n  1BAD: v\n', 's.yaml')).toThrow(
      expect.objectContaining({ details: [expect.objectContaining({ line: 5, field: 'env.1BAD' })] }),
    );
  });

  it('refuses YAML with duplicate keys', () => {
    expect(() => parseServiceSpec('name: a\nname: b\nimage: y\nport: 1\n', 's.yaml')).toThrow(/not valid/);
  });
});

describe('buildService', () => {
  it('writes the files, and removes a file it rendered before that the spec no longer asks for', async () => {
    await using dir = await tempDir('forge-build-');
    const spec = join(dir.path, 'service.yaml');
    const out = join(dir.path, 'manifests');
    await writeFile(spec, stringify(FULL));
    expect((await buildService({ specFile: spec, outDir: out })).files.sort()).toEqual([
      'configmap.yaml',
      'deployment.yaml',
      'hpa.yaml',
      'ingress.yaml',
      'service.yaml',
    ]);
    await writeFile(join(out, 'extra.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n');
    const { host: _host, ingress: _ingress, ...withoutHost } = FULL;
    await writeFile(spec, stringify(withoutHost));
    await buildService({ specFile: spec, outDir: out });
    await expect(readFile(join(out, 'ingress.yaml'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readFile(join(out, 'extra.yaml'), 'utf8')).toContain('Namespace');
  });

  it('puts the pinned image in the Deployment', async () => {
    await using dir = await tempDir('forge-build-');
    const spec = join(dir.path, 'service.yaml');
    await writeFile(spec, stringify({ name: 'api', image: 'nginx:1.27', port: 80 }));
    const digest = `sha256:${'a'.repeat(64)}`;
    const result = await buildService({
      specFile: spec,
      outDir: join(dir.path, 'out'),
      pinImage: async (image) => `${image.split(':')[0]}@${digest}`,
    });
    expect(result.image).toBe(`nginx@${digest}`);
    expect(await readFile(join(dir.path, 'out', 'deployment.yaml'), 'utf8')).toContain(
      `image: nginx@${digest}`,
    );
  });
});

describe('service.schema.json', () => {
  it('is the JSON schema of the spec as the code declares it (regenerate with forge build --print-schema)', async () => {
    const file = new URL('../../service.schema.json', import.meta.url);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(serviceJsonSchema());
  });
});
