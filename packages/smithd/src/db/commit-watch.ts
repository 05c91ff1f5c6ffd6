/**
 * Tells, for the price of one 48-byte read, whether any connection (this process's or another's,
 * such as `smithd keys revoke`) has committed to a SQLite database in WAL mode since the last look.
 * Every commit rewrites the header at the start of the `-shm` wal-index file (its change counter,
 * last frame and checksums: https://www.sqlite.org/walformat.html#the_wal_index_file_format);
 * readers never write it. Starting a read transaction to ask the database costs ~8 µs of file
 * locking instead.
 */
import { closeSync, openSync, readSync } from 'node:fs';

const HEADER_BYTES = 48;

export interface CommitWatch {
  /** True when nothing was committed since the previous call; false on the first call and after a commit. */
  unchanged(): boolean;
  close(): void;
}

/** Watches the database at `path`, which must be open in WAL mode for as long as the watch is used. */
export function watchCommits(path: string): CommitWatch {
  let fd: number | undefined;
  let seen = false;
  const header = Buffer.alloc(HEADER_BYTES);
  const previous = Buffer.alloc(HEADER_BYTES);
  return {
    unchanged() {
      try {
        // Opened on first use: SQLite creates the file with the first read transaction.
        fd ??= openSync(`${path}-shm`, 'r');
        if (readSync(fd, header, 0, HEADER_BYTES, 0) !== HEADER_BYTES) return false;
      } catch {
        return false;
      }
      if (seen && header.equals(previous)) return true;
      header.copy(previous);
      seen = true;
      return false;
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
