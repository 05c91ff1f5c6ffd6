import { DeploySmithError } from '@deploysmith/core';
import { describe, expect, it } from 'vitest';
import { formatImageRef, parseImageRef } from './parse-image-ref.ts';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('parseImageRef', () => {
  it('reads a Docker Hub short name as docker.io/library/<name>', () => {
    expect(parseImageRef('nginx')).toEqual({
      registry: 'docker.io',
      repository: 'library/nginx',
      name: 'docker.io/library/nginx',
    });
  });

  it('keeps a Docker Hub organisation and reads its tag', () => {
    expect(parseImageRef('bitnami/redis:7.2')).toEqual({
      registry: 'docker.io',
      repository: 'bitnami/redis',
      tag: '7.2',
      name: 'docker.io/bitnami/redis',
    });
  });

  it('normalises index.docker.io and registry-1.docker.io to docker.io', () => {
    expect(parseImageRef('index.docker.io/nginx:1').name).toBe('docker.io/library/nginx');
    expect(parseImageRef('registry-1.docker.io/library/nginx').name).toBe('docker.io/library/nginx');
  });

  it('takes a first component with a dot, a port or localhost as the registry', () => {
    expect(parseImageRef('registry.dips.no/favn-feature-patientlist:1.3.0')).toMatchObject({
      registry: 'registry.dips.no',
      repository: 'favn-feature-patientlist',
      tag: '1.3.0',
    });
    expect(parseImageRef('127.0.0.1:5000/team/app:v2')).toMatchObject({
      registry: '127.0.0.1:5000',
      repository: 'team/app',
      tag: 'v2',
      name: '127.0.0.1:5000/team/app',
    });
    expect(parseImageRef('localhost/app')).toMatchObject({ registry: 'localhost', repository: 'app' });
    expect(parseImageRef('[::1]:5000/app:1')).toMatchObject({
      registry: '[::1]:5000',
      repository: 'app',
      tag: '1',
    });
  });

  it('does not mistake a registry port for a tag', () => {
    const ref = parseImageRef('localhost:5000/app');
    expect(ref.registry).toBe('localhost:5000');
    expect(ref.tag).toBeUndefined();
  });

  it('reads a digest, alone or after a tag', () => {
    expect(parseImageRef(`ghcr.io/org/app@${DIGEST}`)).toMatchObject({
      digest: DIGEST,
      name: 'ghcr.io/org/app',
    });
    const both = parseImageRef(`ghcr.io/org/app:1.0@${DIGEST}`);
    expect(both).toMatchObject({ tag: '1.0', digest: DIGEST });
    expect(formatImageRef(both)).toBe(`ghcr.io/org/app:1.0@${DIGEST}`);
  });

  it.each([
    ['', 'empty'],
    ['UPPER/Case', 'repository path'],
    ['registry.example.com/app:bad tag', 'tag'],
    ['app@sha256:1234', 'digest'],
    ['registry.example.com/', 'repository'],
    ['app:-leadingdash', 'tag'],
    ['a//b', 'repository path'],
  ])('rejects %j as invalid input, naming what is wrong', (ref, what) => {
    let caught: unknown;
    try {
      parseImageRef(ref);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DeploySmithError);
    expect((caught as DeploySmithError).code).toBe('invalid_input');
    expect((caught as DeploySmithError).message).toContain(what);
  });
});
