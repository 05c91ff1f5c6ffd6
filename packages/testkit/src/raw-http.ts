/** HTTP requests as bytes, for what no HTTP client sends: oversized or malformed headers, broken framing. */
import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  text: string;
}

/** Sends `request` as is over a new connection to `url`'s host; returns the status line's code and all bytes read. */
export function rawRequest(
  url: string,
  request: string | Uint8Array,
  timeoutMs = 30_000,
): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, text });
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // One answer is all we asked for: stop once its headers and declared body are in.
      const text = Buffer.concat(chunks).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end >= 0) {
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end))?.[1] ?? Number.NaN);
        if (Number.isFinite(length) && Buffer.byteLength(text, 'latin1') >= end + 4 + length) socket.end();
      }
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A server may answer and reset the connection before reading all we sent.
      if (chunks.length > 0 && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) finish();
      else {
        clearTimeout(timer);
        reject(error);
      }
    });
    socket.write(request);
  });
}
