import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { NOW, plain, terminal, terminalNoColor, version } from './fixtures.test-data.ts';
import { formatVersionDetail, formatVersionsTable } from './versions.ts';

const versions = [
  version('1.2.0', { deployedTo: ['staging', 'production'] }),
  version('1.1.0', { metadata: { ...version('x').metadata, branch: null, committer: null } }),
  version('1.3.0-rc', { state: 'draft', publishedAt: null, createdAt: '2025-05-30T12:00:00Z' }),
];

describe('formatVersionsTable', () => {
  it('shows id, short sha, branch, committer, age and where each version is deployed', () => {
    const lines = formatVersionsTable(versions, plain, NOW).split('\n');
    expect(lines[0]?.split(/\s{2,}/)).toEqual([
      'VERSION',
      'SHA',
      'BRANCH',
      'COMMITTER',
      'AGE',
      'DEPLOYED TO',
    ]);
    expect(lines[1]?.split(/\s{2,}/)).toEqual([
      '1.2.0',
      'abcdef0',
      'main',
      'alice',
      '1h ago',
      'staging, production',
    ]);
    expect(lines[2]?.split(/\s{2,}/)).toEqual(['1.1.0', 'abcdef0', '-', '-', '1h ago', '-']);
    expect(lines[3]?.split(/\s{2,}/)).toEqual([
      '1.3.0-rc (draft)',
      'abcdef0',
      'main',
      'alice',
      '2d ago',
      '-',
    ]);
  });

  it('writes no escape codes when not on a terminal or when NO_COLOR is set', () => {
    for (const output of [plain, terminalNoColor]) {
      const text = formatVersionsTable(versions, output, NOW);
      expect(text).toBe(stripVTControlCharacters(text));
    }
  });

  it('highlights the deployed environments on a terminal', () => {
    const text = formatVersionsTable(versions, terminal, NOW);
    expect(text).not.toBe(stripVTControlCharacters(text));
    expect(text).toContain(terminal.color.green.bold('staging, production'));
    expect(stripVTControlCharacters(text)).toBe(formatVersionsTable(versions, plain, NOW));
  });
});

describe('formatVersionDetail', () => {
  it('shows the metadata, the bundle, where it runs and the files', () => {
    const text = formatVersionDetail(
      version('1.2.0', { deployedTo: ['staging'], files: ['deployment.yaml', 'service.yaml'] }),
      plain,
      NOW,
    );
    expect(text).toMatch(/^git sha\s+abcdef0123456789abcdef0123456789abcdef01$/m);
    expect(text).toMatch(/^deployed to\s+staging$/m);
    expect(text).toMatch(/^bundle\s+sha256:a{64} \(2048 bytes\)$/m);
    expect(text).toMatch(/^published at\s+2025-06-01T11:00:00Z \(1h ago\)$/m);
    expect(text).toContain('files (2)\n  deployment.yaml\n  service.yaml');
  });
});
