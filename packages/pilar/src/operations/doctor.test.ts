import { describe, expect, it } from 'vitest';
import { shortImage } from '../changes/commit-message.ts';
import { compareVersions } from './doctor.ts';

describe('compareVersions', () => {
  it('orders dotted versions numerically, not as text', () => {
    expect(compareVersions('4.13.0', '4.12.1')).toBe(1);
    expect(compareVersions('4.9.0', '4.10.0')).toBe(-1);
    expect(compareVersions('4.13', '4.13.0')).toBe(0);
    expect(compareVersions('1.0.0-rc.1', '1.0.0-rc.2')).toBe(-1);
  });
});

describe('shortImage', () => {
  it('shows a digest as algorithm and 12 hex digits, a tag with its colon', () => {
    expect(shortImage(`r.example/app@sha256:${'ab'.repeat(32)}`)).toBe('sha256:abababababab');
    expect(shortImage('127.0.0.1:5000/app:1.4.0')).toBe(':1.4.0');
    expect(shortImage('127.0.0.1:5000/app')).toBe('127.0.0.1:5000/app');
    expect(shortImage(undefined)).toBe('(none)');
  });
});
