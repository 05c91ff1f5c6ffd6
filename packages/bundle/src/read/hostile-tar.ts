/**
 * A raw tar writer for tests: 512-byte ustar headers assembled by hand, so a test can write any
 * name, type and size a hostile client could, gzip'd or not.
 */
import { writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';

export interface RawEntry {
  name: string;
  /** Tar type flag: '0' file, '1' hard link, '2' symlink, '3' char device, '4' block device, '5' folder, '6' FIFO. */
  type?: string;
  content?: Uint8Array | string;
  /** The size written in the header; defaults to the content's length. */
  size?: number;
  linkname?: string;
  /** PAX attributes written in an extended header before the entry (e.g. `path`, `size`). */
  pax?: Record<string, string>;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(name: string, size: number, type: string, linkname = ''): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'utf8');
  block.write(octal(0o644, 8), 100);
  block.write(octal(0, 8), 108);
  block.write(octal(0, 8), 116);
  block.write(octal(size, 12), 124);
  block.write(octal(0, 12), 136);
  block.write(' '.repeat(8), 148);
  block.write(type, 156);
  block.write(linkname, 157, 100, 'utf8');
  block.write('ustar\0', 257);
  block.write('00', 263);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(octal(sum, 7), 148);
  return block;
}

function padded(content: Buffer): Buffer {
  const padding = (512 - (content.length % 512)) % 512;
  return Buffer.concat([content, Buffer.alloc(padding)]);
}

function paxRecords(attributes: Record<string, string>): Buffer {
  let text = '';
  for (const [key, value] of Object.entries(attributes)) {
    const body = ` ${key}=${value}\n`;
    let length = Buffer.byteLength(body) + 1;
    while (String(length).length + Buffer.byteLength(body) !== length) length++;
    text += `${length}${body}`;
  }
  return Buffer.from(text, 'utf8');
}

export function rawTar(entries: RawEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    if (entry.pax !== undefined) {
      const records = paxRecords(entry.pax);
      blocks.push(header('PaxHeader', records.length, 'x'), padded(records));
    }
    const content = Buffer.from(entry.content ?? '');
    blocks.push(
      header(entry.name, entry.size ?? content.length, entry.type ?? '0', entry.linkname),
      padded(content),
    );
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export async function writeRawBundle(path: string, entries: RawEntry[], gzip = true): Promise<string> {
  const tar = rawTar(entries);
  await writeFile(path, gzip ? gzipSync(tar) : tar);
  return path;
}
