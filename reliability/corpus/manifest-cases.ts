/**
 * Well-formed bundles whose manifests are hostile or invalid: YAML bombs and nesting, encodings,
 * tags, duplicate keys and objects, objects Kubernetes would refuse. The publish must be refused
 * (422 invalid_manifests, naming the file) and change nothing. Then versions that publish fine but
 * whose deploy could not build (a kustomization reaching outside its folder or to the network, an
 * object another app owns): refused at deploy (409/422), the environment untouched.
 */
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { rawTar } from '../../packages/bundle/src/read/hostile-tar.ts';
import { api } from './api-cases.ts';
import { bundleCase, DEPLOYMENT, draftAndUpload, type Uploaded, versionYml } from './bundle-cases.ts';
import type { HostileCase } from './case.ts';

const k8s = (kind: string, name: string, rest = '', apiVersion = 'v1') =>
  `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n${rest}`;

function bundle(id: string, app: string, files: Record<string, string | Buffer>): Buffer {
  return gzipSync(
    rawTar([
      { name: 'version.yml', content: versionYml(app, id) },
      ...Object.entries(files).map(([name, content]) => ({ name: `manifests/${name}`, content })),
    ]),
  );
}

const ALIAS_BOMB = `apiVersion: v1
kind: ConfigMap
metadata: { name: lol }
data:
  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
  g: [*f,*f,*f,*f,*f,*f,*f,*f,*f]
`;

export function manifestCases(): HostileCase[] {
  const invalid = { status: [422], code: 'invalid_manifests' };
  const tooBig = { status: [400], code: 'invalid_bundle' };
  const cases: HostileCase[] = [];
  const files = (
    name: string,
    make: (app: string) => Record<string, string | Buffer>,
    expect: HostileCase['expect'] = invalid,
  ) => cases.push(bundleCase('manifests', name, (id, c) => bundle(id, c.app, make(c.app)), expect));
  const one = (name: string, content: string | Buffer | ((app: string) => string | Buffer)) =>
    files(name, (app) => ({ 'bad.yaml': typeof content === 'function' ? content(app) : content }));

  one('an alias bomb ("billion laughs")', ALIAS_BOMB);
  one(
    'a merge-key bomb',
    `a: &a {x: 1, y: 2}\nb: &b {<<: [*a, *a, *a, *a]}\nc: &c {<<: [*b, *b, *b, *b]}\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\nd: {<<: [*c, *c, *c, *c, *c, *c, *c, *c]}\n`,
  );
  one('a self-referencing alias', '&a [*a]\n');
  // Indenting 5,000 levels takes 12.5 MB of spaces: the bundle's 10 MiB per-file limit refuses it before YAML does.
  files(
    'block nesting 5,000 deep',
    () => ({ 'bad.yaml': Array.from({ length: 5000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n') }),
    tooBig,
  );
  one('compact block nesting 5,000 deep', `${'- '.repeat(5000)}x\n`);
  one('flow nesting 100,000 deep', `${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
  // 5 MiB of one letter gzips 1000:1: the bundle's gzip-bomb guard (200:1) refuses it before YAML sees it.
  files(
    'a 5 MiB manifest',
    () => ({ 'bad.yaml': `${k8s('ConfigMap', 'big')}data:\n  big: "${'x'.repeat(5 * 1024 * 1024)}"\n` }),
    tooBig,
  );
  one(
    'a 5 MiB manifest that does not compress',
    `${k8s('ConfigMap', 'big')}data:\n  big: "${randomBytes(3.75 * 1024 * 1024).toString('base64')}"\n`,
  );
  one(
    '1,001 documents in one file',
    Array.from({ length: 1001 }, (_, i) => k8s('ConfigMap', `c${i}`)).join('---\n'),
  );
  one(
    'a line of 3 MiB',
    `${k8s('ConfigMap', 'wide')}data: {${Array.from({ length: 200_000 }, (_, i) => `k${i}: value0`).join(', ')}}\n`,
  );
  one(
    'bytes that are not UTF-8',
    Buffer.concat([Buffer.from(k8s('ConfigMap', 'enc')), Buffer.from('data:\n  x: "\xff\xfe"\n', 'latin1')]),
  );
  one(
    'UTF-16 with a byte-order mark',
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(k8s('ConfigMap', 'utf16'), 'utf16le')]),
  );
  one('a NUL byte', `${k8s('ConfigMap', 'nul')}data:\n  x: "a\u0000b"\n`);
  one('a duplicate key', `${k8s('ConfigMap', 'dup')}data:\n  x: "1"\n  x: "2"\n`);
  one('a !!binary tag', `${k8s('ConfigMap', 'bin')}binaryData:\n  x: !!binary aGVsbG8=\n`);
  one('a custom !tag', `${k8s('ConfigMap', 'tag')}data:\n  x: !shell "rm -rf /"\n`);
  one('a YAML syntax error', 'apiVersion: v1\nkind: [ConfigMap\n');
  one('a scalar document', 'just a string\n');
  one('a list document', '- apiVersion: v1\n  kind: ConfigMap\n');
  one('an object without kind', 'apiVersion: v1\nmetadata: {name: nokind}\n');
  one('an object without apiVersion', 'kind: ConfigMap\nmetadata: {name: noapi}\n');
  one('an object without a name', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n');
  one('only generateName', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {generateName: gen-}\n');
  one('a name with upper case', k8s('ConfigMap', 'Upper'));
  one('a name with a slash', k8s('ConfigMap', '"a/b"'));
  one('a name that is ..', k8s('ConfigMap', '".."'));
  one('a Cyrillic look-alike name', k8s('ConfigMap', 'cоnfig'));
  one('a Service name with a dot', k8s('Service', 'web.svc', 'spec:\n  ports: [{port: 80}]\n'));
  one('a namespace that is not a label', k8s('ConfigMap', 'ns\n  namespace: kube_system'));
  one(
    'a CronJob name over 52 characters',
    k8s(
      'CronJob',
      'c'.repeat(53),
      'spec:\n  schedule: "* * * * *"\n  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: x}]}}}}\n',
      'batch/v1',
    ),
  );
  one('replicas that are a string', (app) =>
    DEPLOYMENT(app).replace('spec:\n', 'spec:\n  replicas: "three"\n'),
  );
  one('a misspelt field', (app) => DEPLOYMENT(app).replace('image:', 'imagePullPolice: Always, image:'));
  one('a misspelt kind', (app) => DEPLOYMENT(app).replace('kind: Deployment', 'kind: Deploymnet'));
  one('a container without an image', (app) =>
    DEPLOYMENT(app).replace(', image: "registry.example.com/', ', imagex: "'),
  );
  one(
    'a quantity that is not one',
    k8s('Pod', 'q', 'spec:\n  containers: [{name: c, image: x, resources: {limits: {cpu: "lots"}}}]\n'),
  );
  files('a kustomization.yaml that is a list', () => ({ 'kustomization.yaml': '- resources\n' }));
  files('the same object in two files', (app) => ({ 'a.yaml': DEPLOYMENT(app), 'b.yaml': DEPLOYMENT(app) }));
  files('the same object twice in one file', (app) => ({
    'a.yaml': `${DEPLOYMENT(app)}---\n${DEPLOYMENT(app)}`,
  }));
  files('a manifest that is not YAML by its extension', () => ({ 'config.json': '{"apiVersion":"v1"}' }), {
    status: [400, 422],
    code: ['invalid_bundle', 'invalid_manifests'],
  });
  files('no object at all', () => ({ 'empty.yaml': '# nothing here\n---\n' }));

  // Versions that publish, but must not deploy: the plan refuses them, the environment is untouched.
  const deployTime = (
    name: string,
    make: (app: string) => Record<string, string>,
    expect: HostileCase['expect'],
  ) =>
    cases.push({
      family: 'deploy-time',
      name,
      allowsFailedDeploy: true,
      prepare: async (context) => {
        const id = context.nextVersion();
        const uploaded = await draftAndUpload(context, id, bundle(id, context.app, make(context.app)));
        const published = await api(context, 'POST', `/v1/apps/${context.app}/versions/${id}/publish`, {
          body: {},
        });
        if (published.status !== 200) throw new Error(`publish of ${id} failed: ${published.text}`);
        return uploaded;
      },
      attack: (context, prepared) =>
        api(context, 'POST', `/v1/apps/${context.app}/deployments`, {
          body: { version: (prepared as Uploaded).id, environment: 'staging' },
        }),
      expect,
    });
  const cannotBuild = { status: [422], code: 'tree_does_not_build' };
  deployTime(
    'a kustomization that reads /etc/passwd',
    (app) => ({
      'deployment.yaml': DEPLOYMENT(app),
      'kustomization.yaml': 'resources:\n  - deployment.yaml\n  - ../../../../../../../../etc/passwd\n',
    }),
    cannotBuild,
  );
  deployTime(
    'a kustomization that reaches another app folder',
    (app) => ({
      'deployment.yaml': DEPLOYMENT(app),
      'kustomization.yaml': 'resources:\n  - deployment.yaml\n  - ../corpus-neighbour\n',
    }),
    { status: [409, 422], code: ['object_collision', 'tree_does_not_build'] },
  );
  deployTime(
    'a kustomization that fetches from the network',
    (app) => ({
      'deployment.yaml': DEPLOYMENT(app),
      'kustomization.yaml': 'resources:\n  - deployment.yaml\n  - https://deploysmith.invalid/evil.yaml\n',
    }),
    cannotBuild,
  );
  deployTime(
    'a kustomization that lists a missing file',
    (app) => ({
      'deployment.yaml': DEPLOYMENT(app),
      'kustomization.yaml': 'resources:\n  - deployment.yaml\n  - missing.yaml\n',
    }),
    cannotBuild,
  );
  deployTime(
    'a kustomization that runs a Helm chart',
    (app) => ({
      'deployment.yaml': DEPLOYMENT(app),
      'kustomization.yaml':
        'resources:\n  - deployment.yaml\nhelmCharts:\n  - name: evil\n    repo: https://deploysmith.invalid/charts\n',
    }),
    cannotBuild,
  );
  deployTime(
    'an object another app of the environment owns',
    () => ({
      'deployment.yaml': DEPLOYMENT('corpus-neighbour'),
    }),
    { status: [409], code: 'object_collision' },
  );
  return cases;
}
