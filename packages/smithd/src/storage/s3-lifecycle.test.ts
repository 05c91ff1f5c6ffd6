import type { LifecycleRule } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { withDraftRule } from './s3-lifecycle.ts';

const logs: LifecycleRule = {
  ID: 'expire-logs',
  Status: 'Enabled',
  Filter: { Prefix: 'logs/' },
  Expiration: { Days: 30 },
};

describe('the drafts lifecycle rule', () => {
  it('is added beside the rules the bucket has, expiring the drafts of its prefix after 7 days', () => {
    const rules = withDraftRule([logs], 'smithd/drafts/');
    expect(rules).toEqual([
      logs,
      {
        ID: 'deploysmith-expire-smithd/drafts/',
        Status: 'Enabled',
        Filter: { Prefix: 'smithd/drafts/' },
        Expiration: { Days: 7 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
      },
    ]);
  });

  it('changes nothing when it is there already', () => {
    const rules = withDraftRule([logs], 'drafts/') ?? [];
    expect(withDraftRule(rules, 'drafts/')).toBeUndefined();
  });

  it('puts back a rule of ours someone changed or disabled, keeping the others', () => {
    const [, ours] = withDraftRule([logs], 'drafts/') ?? [];
    const disabled = { ...ours, Status: 'Disabled' } as LifecycleRule;
    expect(withDraftRule([disabled, logs], 'drafts/')).toEqual([logs, ours]);
    const longer = { ...ours, Expiration: { Days: 30 } } as LifecycleRule;
    expect(withDraftRule([longer, logs], 'drafts/')).toEqual([logs, ours]);
  });

  it('keeps one rule per prefix, so smithd instances sharing a bucket do not undo each other', () => {
    const first = withDraftRule([], 'a/drafts/') ?? [];
    const both = withDraftRule(first, 'b/drafts/') ?? [];
    expect(both.map((rule) => rule.Filter?.Prefix)).toEqual(['a/drafts/', 'b/drafts/']);
    expect(withDraftRule(both, 'a/drafts/')).toBeUndefined();
  });
});
