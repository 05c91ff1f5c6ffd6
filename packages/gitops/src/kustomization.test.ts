import { describe, expect, it } from 'vitest';
import {
  addKustomizationResource,
  kustomizationResources,
  newKustomizationText,
  removeKustomizationResource,
} from './kustomization.ts';
import { parseYamlDocument, YamlFileError } from './yaml-document.ts';

const FILE = 'environments/staging/apps/kustomization.yaml';

const HAND_WRITTEN = `# Apps of staging.
# Keep this list sorted; DeploySmith adds to it.
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization

resources:
  # the API first
  - api-service   # owned by team-a
  - ./hello-world/
  # zeta is a legacy name
  - zeta
commonLabels:
  env: "staging"
`;

describe('kustomization editing', () => {
  it('adds a resource at its sorted place and keeps every comment, blank line and quote', () => {
    const { changed, text } = addKustomizationResource(HAND_WRITTEN, 'billing', FILE);
    expect(changed).toBe(true);
    expect(text).toBe(HAND_WRITTEN.replace('  - ./hello-world/\n', '  - billing\n  - ./hello-world/\n'));
  });

  it('appends after the last entry that sorts before it', () => {
    const { text } = addKustomizationResource(HAND_WRITTEN, 'zz-top', FILE);
    expect(text).toBe(HAND_WRITTEN.replace('  - zeta\n', '  - zeta\n  - zz-top\n'));
  });

  it('does nothing when the app is listed already, in any spelling', () => {
    const { changed, text } = addKustomizationResource(HAND_WRITTEN, 'hello-world', FILE);
    expect(changed).toBe(false);
    expect(text).toBe(HAND_WRITTEN);
  });

  it('turns an empty flow list into a block list', () => {
    const start = newKustomizationText([], 'Apps.');
    expect(start).toBe(
      '# Apps.\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n',
    );
    const one = addKustomizationResource(start, 'hello', FILE).text;
    expect(one).toBe(
      '# Apps.\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - hello\n',
    );
    const two = addKustomizationResource(one, 'api', FILE).text;
    expect(two).toBe(
      '# Apps.\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - api\n  - hello\n',
    );
  });

  it('creates the resources list when the file has none', () => {
    const { text } = addKustomizationResource(
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n',
      'hello',
      FILE,
    );
    expect(text).toBe(
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - hello\n',
    );
  });

  it('removes a resource and leaves the rest as written', () => {
    const { changed, text } = removeKustomizationResource(HAND_WRITTEN, 'hello-world', FILE);
    expect(changed).toBe(true);
    expect(text).toBe(HAND_WRITTEN.replace('  - ./hello-world/\n', ''));
    expect(kustomizationResources(parseYamlDocument(text, FILE), FILE)).toEqual(['api-service', 'zeta']);
  });

  it('refuses a resources key that is not a list, naming the file', () => {
    expect(() => addKustomizationResource('resources: hello\n', 'x', FILE)).toThrow(YamlFileError);
    expect(() => addKustomizationResource('resources: hello\n', 'x', FILE)).toThrow(FILE);
  });

  it('fills an empty `resources:` key, keeps CRLF line endings and a missing final newline', () => {
    expect(addKustomizationResource('kind: Kustomization\nresources:\nnamespace: x\n', 'a', FILE).text).toBe(
      'kind: Kustomization\nresources:\n  - a\nnamespace: x\n',
    );
    expect(addKustomizationResource('resources:\r\n  - b\r\n', 'a', FILE).text).toBe(
      'resources:\r\n  - a\r\n  - b\r\n',
    );
    expect(addKustomizationResource('resources:\n- b', 'c', FILE).text).toBe('resources:\n- b\n- c');
  });

  it('writes new kustomizations with their resources sorted', () => {
    expect(newKustomizationText(['service.yaml', 'deployment.yaml'])).toBe(
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n  - service.yaml\n',
    );
  });
});
