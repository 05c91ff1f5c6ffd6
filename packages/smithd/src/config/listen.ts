/** The listen address: `host:port`, `[v6]:port` or a bare port, and whether it is loopback-only. */
import { isIP } from 'node:net';
import { DeploySmithError } from '@deploysmith/core';

export interface ListenAddress {
  host: string;
  port: number;
}

export function parseListen(value: string, source: string): ListenAddress {
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(value);
  const plain = /^([^:]*):(\d+)$/.exec(value);
  const bare = /^(\d+)$/.exec(value);
  const [host, port] = bracketed
    ? [bracketed[1]!, bracketed[2]!]
    : plain
      ? [plain[1] || '0.0.0.0', plain[2]!]
      : bare
        ? ['127.0.0.1', bare[1]!]
        : [undefined, undefined];
  const number = Number(port);
  if (host === undefined || !Number.isInteger(number) || number < 0 || number > 65_535) {
    throw new DeploySmithError(
      'invalid_input',
      `Invalid listen address ${JSON.stringify(value)} in ${source}.`,
      {
        hint: 'Use host:port, e.g. 127.0.0.1:8420 or [::1]:8420.',
      },
    );
  }
  return { host, port: number };
}

/** True when only this machine can connect: localhost, 127.0.0.0/8 or ::1. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

/** The URL a client on another machine would use; a wildcard address becomes `localhost`. */
export function defaultPublicUrl(listen: ListenAddress, tls: boolean): string {
  const wildcard = listen.host === '0.0.0.0' || listen.host === '::' || listen.host === '';
  const host = wildcard ? 'localhost' : isIP(listen.host) === 6 ? `[${listen.host}]` : listen.host;
  return `${tls ? 'https' : 'http'}://${host}:${listen.port}`;
}
