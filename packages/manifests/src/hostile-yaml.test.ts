import { describe, expect, it } from 'vitest';
import type { ManifestFile } from './index.ts';
import { DEFAULT_MANIFEST_LIMITS, formatProblem, validateManifests } from './index.ts';

const file = (path: string, text: string | Uint8Array): ManifestFile => ({
  path,
  content: typeof text === 'string' ? new TextEncoder().encode(text) : text,
});

const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n';

async function problemsOf(...files: ManifestFile[]) {
  return (await validateManifests(files)).problems;
}

describe('hostile YAML', () => {
  it('rejects a duplicate key, naming its line', async () => {
    const problems = await problemsOf(file('a.yaml', `${CONFIGMAP}data:\n  a: "1"\n  a: "2"\n`));
    expect(problems).toEqual([{ file: 'a.yaml', line: 7, document: 0, message: 'Map keys must be unique' }]);
  });

  it('finds a duplicate key among 100,000 keys of one mapping', async () => {
    const keys = Array.from({ length: 100_000 }, (_, index) => `  k${index}: v`);
    keys.push('  k7: again');
    const problems = await problemsOf(file('wide.yaml', `${CONFIGMAP}data:\n${keys.join('\n')}\n`));
    expect(problems).toEqual([
      { file: 'wide.yaml', line: 100_006, document: 0, message: 'Map keys must be unique' },
    ]);
  });

  it('rejects an alias bomb (billion laughs) without expanding it', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const text = `${CONFIGMAP}data:\n${levels.map((line) => `  ${line}`).join('\n')}\n`;
    const problems = await problemsOf(file('bomb.yaml', text));
    expect(problems).toEqual([
      {
        file: 'bomb.yaml',
        line: 1,
        document: 0,
        message: `the document expands more than ${DEFAULT_MANIFEST_LIMITS.maxAliasCount} aliases (an "alias bomb"); write the values out or use fewer aliases`,
      },
    ]);
  });

  it('accepts a few aliases and merge keys', async () => {
    const text = `${CONFIGMAP}  labels: &labels { app: web }\n  annotations:\n    <<: *labels\n`;
    expect(await problemsOf(file('a.yaml', text))).toEqual([]);
  });

  it('rejects nesting deeper than the limit, in block and in flow style', async () => {
    let block = `${CONFIGMAP}spec:\n`;
    for (let depth = 1; depth <= 120; depth++) block += `${'  '.repeat(depth)}k:\n`;
    // 2 MB of brackets: the yaml parser alone would need about a minute for this.
    const flow = `${CONFIGMAP}spec: ${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}\n`;
    const problems = await problemsOf(file('block.yaml', block), file('flow.yaml', flow));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatchObject({
      file: 'block.yaml',
      line: 104,
      document: 0,
      message: expect.stringMatching(/^spec(\.k)+ is nested more than 100 levels deep$/),
    });
    expect(problems[1]).toEqual({
      file: 'flow.yaml',
      line: 5,
      message: 'the file nests flow collections ([ ] or { }) more than 100 levels deep',
    });
  });

  it('rejects bytes that are not UTF-8, naming the line', async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode(`${CONFIGMAP}data:\n  a: "`),
      0xc3,
      0x28,
      0x22,
      0x0a,
    ]);
    expect((await problemsOf(file('latin.yaml', bytes))).map(formatProblem)).toEqual([
      `latin.yaml:6: the file is not valid UTF-8 (byte 0xc3 at offset ${bytes.length - 4}); save it as UTF-8`,
    ]);
  });

  it('rejects UTF-16, with or without a byte order mark', async () => {
    const utf16 = (text: string, bom: boolean) => {
      const bytes = Buffer.from(text, 'utf16le');
      return bom ? new Uint8Array([0xff, 0xfe, ...bytes]) : new Uint8Array(bytes);
    };
    const problems = await problemsOf(
      file('bom.yaml', utf16(CONFIGMAP, true)),
      file('nobom.yaml', utf16(CONFIGMAP, false)),
    );
    expect(problems.map(formatProblem)).toEqual([
      'bom.yaml:1: the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8',
      'nobom.yaml:1: the file looks like UTF-16 (it has NUL bytes between characters); save it as UTF-8',
    ]);
  });

  it('accepts a UTF-8 byte order mark and non-ASCII text', async () => {
    const text = new TextEncoder().encode(`${CONFIGMAP}data:\n  greeting: "grüß dich ✓"\n`);
    expect(await problemsOf(file('bom.yaml', new Uint8Array([0xef, 0xbb, 0xbf, ...text])))).toEqual([]);
  });

  it('rejects a 10 MB file without parsing it', async () => {
    const big = new Uint8Array(10 * 1024 * 1024).fill(0x20);
    const problems = await problemsOf(file('big.yaml', big), file('ok.yaml', CONFIGMAP));
    expect(problems.map(formatProblem)).toEqual([
      `big.yaml:1: the file is ${big.length} bytes, more than the limit of ${DEFAULT_MANIFEST_LIMITS.maxFileBytes} bytes per file`,
    ]);
  });

  it('rejects an object larger than Kubernetes stores, within the file limit', async () => {
    const text = `${CONFIGMAP}---\n${CONFIGMAP.replace('settings', 'wide')}data: {big: ${'x'.repeat(2_000_000)}}\n`;
    expect(text.length).toBeLessThan(DEFAULT_MANIFEST_LIMITS.maxFileBytes);
    const problems = await problemsOf(file('wide.yaml', text));
    expect(problems).toEqual([
      {
        file: 'wide.yaml',
        line: 6,
        document: 1,
        message: expect.stringMatching(
          /^the object is \d+ bytes as JSON, more than the limit of 1572864 bytes per object \(Kubernetes could not store it\)/,
        ),
      },
    ]);
    const small = await validateManifests([file('wide.yaml', text)], { maxObjectBytes: 8 * 1024 * 1024 });
    expect(small.problems).toEqual([]);
  });

  it('rejects manifests larger than the total limit', async () => {
    const problems = (
      await validateManifests([file('a.yaml', CONFIGMAP), file('b.yaml', CONFIGMAP)], { maxTotalBytes: 100 })
    ).problems;
    expect(problems.map(formatProblem)).toEqual([
      `the manifests are ${CONFIGMAP.length * 2} bytes together, more than the limit of 100 bytes`,
    ]);
  });

  it('rejects too many documents in one file and too many objects in a version', async () => {
    const many = Array.from({ length: 5 }, (_, index) => CONFIGMAP.replace('settings', `c${index}`)).join(
      '---\n',
    );
    const documents = await validateManifests([file('a.yaml', many)], { maxDocumentsPerFile: 4 });
    expect(documents.problems.map(formatProblem)).toEqual([
      'a.yaml:1: the file has 5 YAML documents, more than the limit of 4',
    ]);
    const objects = await validateManifests([file('a.yaml', many)], { maxObjects: 3 });
    expect(objects.problems.map(formatProblem)).toEqual([
      'a.yaml:16: the version has more than 3 Kubernetes objects',
    ]);
  });

  it('stops after maxProblems problems', async () => {
    const fields = Array.from({ length: 5_000 }, (_, index) => `unknown${index}: 1`).join('\n');
    const problems = await problemsOf(
      file('a.yaml', `apiVersion: v1\nkind: Service\nmetadata: { name: a }\n${fields}\n`),
    );
    expect(problems).toHaveLength(DEFAULT_MANIFEST_LIMITS.maxProblems + 1);
    expect(problems[0]).toMatchObject({
      line: 4,
      field: 'unknown0',
      message: 'unknown0 is not a field of v1 Service',
    });
    expect(problems.at(-1)).toEqual({ message: 'stopped after 100 problems; fix these and validate again' });
  });

  it('rejects custom tags', async () => {
    const problems = await problemsOf(file('a.yaml', `${CONFIGMAP}data:\n  script: !exec "rm -rf /"\n`));
    expect(problems).toEqual([
      { file: 'a.yaml', line: 6, document: 0, message: expect.stringContaining('Unresolved tag: !exec') },
    ]);
  });

  it('rejects YAML that does not parse, naming the line and document', async () => {
    const problems = await problemsOf(file('a.yaml', `${CONFIGMAP}---\nkind: [unclosed\n`));
    expect(problems).toEqual([
      expect.objectContaining({ file: 'a.yaml', document: 1, line: expect.any(Number) }),
    ]);
    expect(problems[0]?.line).toBeGreaterThanOrEqual(6);
  });

  it('keeps __proto__ keys as plain data', async () => {
    const text = `${CONFIGMAP}data:\n  __proto__: "x"\n  constructor: "y"\n`;
    expect(await problemsOf(file('a.yaml', text))).toEqual([]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
