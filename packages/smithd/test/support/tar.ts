/**
 * A minimal ustar writer for tests: it writes exactly the entries it is given (absolute paths,
 * `..`, links, devices) so a test can hand smithd the bundles a careful packer never would.
 */
import { gzipSync } from 'node:zlib';

export interface TarEntry {
  name: string;
  /** '0' file, '1' hard link, '2' symlink, '3' character device, '4' block device, '5' directory, '6' FIFO. */
  type?: '0' | '1' | '2' | '3' | '4' | '5' | '6';
  content?: string | Uint8Array;
  linkname?: string;
  mode?: number;
}

export function tarGz(entries: TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const content =
      entry.content === undefined
        ? Buffer.alloc(0)
        : typeof entry.content === 'string'
          ? Buffer.from(entry.content, 'utf8')
          : Buffer.from(entry.content);
    const type = entry.type ?? '0';
    const size = type === '0' ? content.length : 0;
    const header = Buffer.alloc(512);
    const write = (text: string, offset: number, length: number) =>
      header.write(text, offset, length, 'utf8');
    const octal = (value: number, length: number) => value.toString(8).padStart(length - 1, '0');
    write(entry.name, 0, 100);
    write(octal(entry.mode ?? (type === '5' ? 0o755 : 0o644), 8), 100, 8);
    write(octal(0, 8), 108, 8);
    write(octal(0, 8), 116, 8);
    write(octal(size, 12), 124, 12);
    write(octal(1_700_000_000, 12), 136, 12);
    write('        ', 148, 8);
    write(type, 156, 1);
    write(entry.linkname ?? '', 157, 100);
    write('ustar\u000000', 257, 8);
    write(octal(0, 8), 329, 8);
    write(octal(0, 8), 337, 8);
    let sum = 0;
    for (const byte of header) sum += byte;
    write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8);
    blocks.push(header);
    if (size > 0) {
      blocks.push(content);
      const pad = (512 - (size % 512)) % 512;
      if (pad > 0) blocks.push(Buffer.alloc(pad));
    }
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

export function versionYml(app: string, id: string, branch = 'main'): string {
  return [
    `app: ${app}`,
    `id: ${id}`,
    'gitSha: 0123456789abcdef0123456789abcdef01234567',
    `branch: ${branch}`,
    'tag: null',
    'committer: null',
    'buildNumber: null',
    'pipelineUrl: null',
    'createdAt: 2026-01-01T00:00:00.000Z',
    '',
  ].join('\n');
}
