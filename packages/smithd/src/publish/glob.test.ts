import { describe, expect, it } from 'vitest';
import { globMatcher, isLiteralGlob, policyMatches } from './glob.ts';

describe('branch and tag globs', () => {
  it('matches a literal name only itself', () => {
    const main = globMatcher('main');
    expect(main('main')).toBe(true);
    expect(main('main2')).toBe(false);
    expect(main(null)).toBe(false);
  });

  it('keeps * within one path segment and lets ** cross them', () => {
    expect(globMatcher('release/*')('release/1.2')).toBe(true);
    expect(globMatcher('release/*')('release/1.2/hotfix')).toBe(false);
    expect(globMatcher('release/**')('release/1.2/hotfix')).toBe(true);
    expect(globMatcher('feature-*')('feature-login')).toBe(true);
    expect(globMatcher('feature-*')('bugfix-login')).toBe(false);
  });

  it('understands braces, classes and dots in names', () => {
    expect(globMatcher('{main,develop}')('develop')).toBe(true);
    expect(globMatcher('v[0-9]*')('v1.4.0')).toBe(true);
    expect(globMatcher('v[0-9]*')('vnext')).toBe(false);
    expect(globMatcher('*')('.hidden')).toBe(true);
  });

  it('tells a literal from a glob', () => {
    expect(isLiteralGlob('main')).toBe(true);
    expect(isLiteralGlob('release/1.2')).toBe(true);
    expect(isLiteralGlob('release/*')).toBe(false);
    expect(isLiteralGlob('{a,b}')).toBe(false);
  });
});

describe('auto-deploy policies', () => {
  it('fires when the branch glob or the tag glob matches', () => {
    expect(policyMatches({ branch: 'main', tag: null }, { branch: 'main', tag: null })).toBe(true);
    expect(policyMatches({ branch: 'main', tag: 'v*' }, { branch: 'feature-x', tag: 'v1.0.0' })).toBe(true);
    expect(policyMatches({ branch: null, tag: 'v*' }, { branch: 'main', tag: null })).toBe(false);
    expect(policyMatches({ branch: null, tag: null }, { branch: 'main', tag: 'v1' })).toBe(false);
  });
});
