/**
 * Failures of the machine under smithd rather than of the request: the database locked by another
 * process, the disk full, the database file unusable. They reach the edge as the driver's or the
 * file system's own errors; here they get a code, a status and a message that names the cause,
 * instead of an anonymous 500.
 */
import { DeploySmithError } from '@deploysmith/core';

const DISK_FULL = /no space left on device|disk quota exceeded|database or disk is full/i;

interface Described {
  code?: unknown;
  message?: unknown;
  stderr?: unknown;
  cause?: unknown;
}

/** The error and its causes, outermost first (bounded: causes can be circular). */
function chain(error: unknown): Described[] {
  const links: Described[] = [];
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && links.length < 8) {
    links.push(current as Described);
    current = (current as Described).cause;
  }
  return links;
}

function text(link: Described): string {
  return `${typeof link.message === 'string' ? link.message : ''}\n${typeof link.stderr === 'string' ? link.stderr : ''}`;
}

export function failureCause(error: unknown): DeploySmithError | undefined {
  const links = chain(error);
  const full = links.find(
    (link) =>
      link.code === 'ENOSPC' ||
      link.code === 'EDQUOT' ||
      link.code === 'SQLITE_FULL' ||
      DISK_FULL.test(text(link)),
  );
  if (full !== undefined) {
    const detail = (typeof full.message === 'string' ? full.message : 'no space left on device').split(
      '\n',
    )[0];
    return new DeploySmithError(
      'insufficient_storage',
      `smithd's disk is full (${detail}); nothing was changed.`,
      {
        hint: 'Free space on the volume of the smithd data dir (database, version storage, working clones), then retry.',
        cause: error,
      },
    );
  }
  const database = links.find((link) => typeof link.code === 'string' && link.code.startsWith('SQLITE_'));
  if (database === undefined) return undefined;
  const code = database.code as string;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new DeploySmithError(
      'database_unavailable',
      'The database is locked by another process: smithd waited for its write lock and gave up; nothing was changed.',
      {
        hint: 'Another program holds a long write transaction on smithd.db (a backup, an sqlite3 shell). Retry once it is done.',
        cause: error,
      },
    );
  }
  if (/^SQLITE_(IOERR|CANTOPEN|READONLY|CORRUPT|NOTADB|PERM)/.test(code)) {
    return new DeploySmithError(
      'database_unavailable',
      `The database cannot be used (${code}: ${String(database.message)}); nothing was changed.`,
      { hint: "Check the database file and the disk under smithd's data dir.", cause: error },
    );
  }
  return undefined;
}
