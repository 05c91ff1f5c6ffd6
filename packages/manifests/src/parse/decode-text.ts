/**
 * Bytes to text. Manifests must be UTF-8 (what kubectl, kustomize and Flux all read); anything else
 * is refused with a message that says what the bytes look like, rather than parsed as mojibake.
 */
import { isUtf8 } from 'node:buffer';

export type Decoded = { text: string } | { line: number; message: string };

const decoder = new TextDecoder('utf-8', { ignoreBOM: false });

export function decodeManifestText(bytes: Uint8Array): Decoded {
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    return {
      line: 1,
      message: 'the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8',
    };
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    // UTF-16 without a byte order mark puts a NUL next to every ASCII character.
    const looksUtf16 = bytes.length >= 2 && (bytes[0] === 0 || bytes[1] === 0);
    return {
      line: lineAt(bytes, nul),
      message: looksUtf16
        ? 'the file looks like UTF-16 (it has NUL bytes between characters); save it as UTF-8'
        : 'the file contains a NUL byte; a manifest must be UTF-8 text',
    };
  }
  if (!isUtf8(bytes)) {
    const offset = firstInvalidUtf8(bytes);
    return {
      line: lineAt(bytes, offset),
      message: `the file is not valid UTF-8 (byte 0x${(bytes[offset] ?? 0).toString(16).padStart(2, '0')} at offset ${offset}); save it as UTF-8`,
    };
  }
  // TextDecoder drops a UTF-8 byte order mark, which the yaml parser would otherwise see as content.
  return { text: decoder.decode(bytes) };
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset; index++) if (bytes[index] === 0x0a) line++;
  return line;
}

/** Offset of the first byte that breaks UTF-8 (only called once isUtf8 said there is one). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index] as number;
    let length: number;
    let min: number;
    if (lead < 0x80) {
      index++;
      continue;
    } else if (lead >= 0xc2 && lead <= 0xdf) [length, min] = [2, 0x80];
    else if (lead >= 0xe0 && lead <= 0xef) [length, min] = [3, 0x800];
    else if (lead >= 0xf0 && lead <= 0xf4) [length, min] = [4, 0x10000];
    else return index;
    if (index + length > bytes.length) return index;
    let codePoint = lead & (0xff >> (length + 1));
    for (let next = 1; next < length; next++) {
      const byte = bytes[index + next] as number;
      if ((byte & 0xc0) !== 0x80) return index;
      codePoint = (codePoint << 6) | (byte & 0x3f);
    }
    if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return index;
    index += length;
  }
  return bytes.length;
}
