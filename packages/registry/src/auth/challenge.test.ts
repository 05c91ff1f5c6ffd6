import { describe, expect, it } from 'vitest';
import { parseChallenges, pickChallenge } from './challenge.ts';

describe('parseChallenges', () => {
  it('reads a Docker Hub bearer challenge with realm, service and scope', () => {
    const [challenge] = parseChallenges(
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"',
    );
    expect(challenge).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://auth.docker.io/token',
        service: 'registry.docker.io',
        scope: 'repository:library/nginx:pull',
      },
    });
  });

  it('reads a basic challenge and lower-cases scheme and parameter names', () => {
    expect(parseChallenges('BASIC Realm="basic-realm"')).toEqual([
      { scheme: 'basic', params: { realm: 'basic-realm' } },
    ]);
  });

  it('reads unquoted values, spaces around "=", and escaped quotes', () => {
    const [challenge] = parseChallenges(
      'Bearer realm = https://auth.example/token , service=reg, error="say \\"hi\\""',
    );
    expect(challenge?.params).toEqual({
      realm: 'https://auth.example/token',
      service: 'reg',
      error: 'say "hi"',
    });
  });

  it('splits several challenges in one header and across headers', () => {
    const challenges = parseChallenges([
      'Basic realm="r", Bearer realm="https://a/t",service="s"',
      'Negotiate',
    ]);
    expect(challenges.map((c) => c.scheme)).toEqual(['basic', 'bearer', 'negotiate']);
    expect(challenges[1]?.params).toEqual({ realm: 'https://a/t', service: 's' });
  });

  it('returns nothing for a missing header', () => {
    expect(parseChallenges(undefined)).toEqual([]);
  });
});

describe('pickChallenge', () => {
  it('prefers bearer with a realm over basic', () => {
    const picked = pickChallenge(parseChallenges(['Basic realm="r"', 'Bearer realm="https://a/t"']));
    expect(picked?.scheme).toBe('bearer');
  });

  it('falls back to basic and ignores schemes it cannot answer', () => {
    expect(pickChallenge(parseChallenges('Negotiate, Basic realm="x"'))?.scheme).toBe('basic');
    expect(pickChallenge(parseChallenges('Negotiate'))).toBeUndefined();
  });
});
