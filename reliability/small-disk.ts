/**
 * A small file system for smithd's data dir, to fill up on purpose ("disk full"). As root, a tmpfs
 * mounted on a temporary folder; as another user, a tmpfs in an unprivileged user and mount
 * namespace held by a `sleep` process, which smithd joins with nsenter; outside it, the data dir
 * is a symlink into `/proc/<pid>/root`, so both see the same path. When neither works the test
 * fails and says why: it never skips.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, open, rm, statfs, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { findTool } from '../packages/testkit/src/tools.ts';

export interface SmallDisk {
  /** A data dir on the small file system, the same path for smithd and for this process. */
  dataDir: string;
  /** How the file system was made, for the test's output. */
  how: string;
  /** Command smithd must run under to see it (none as root). */
  wrapper: string[];
  /** Writes a filler file until the file system has no space left. */
  fill(): Promise<void>;
  /** Removes the filler. */
  free(): Promise<void>;
  remove(): Promise<void>;
}

export async function smallDisk(sizeMiB: number): Promise<SmallDisk> {
  const path = await mkdtemp(join(tmpdir(), 'reliability-disk-'));
  const attempts: string[] = [];
  if (process.getuid?.() === 0) {
    const mounted = await execa('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m,mode=0700`, 'tmpfs', path], {
      reject: false,
    });
    if (mounted.exitCode === 0) {
      await mkdir(join(path, 'data'), { mode: 0o700 });
      return disk(path, path, `a ${sizeMiB} MiB tmpfs mounted on the data dir (as root)`, [], async () => {
        await execa('umount', [path], { reject: false });
      });
    }
    attempts.push(`mount -t tmpfs: ${mounted.stderr.trim()}`);
  }
  if (findTool('unshare') !== undefined && findTool('nsenter') !== undefined) {
    const holder = spawn(
      'unshare',
      [
        '--user',
        '--map-root-user',
        '--mount',
        'sh',
        '-c',
        `mount -t tmpfs -o size=${sizeMiB}m tmpfs "$0" && echo ready && exec sleep 100000`,
        path,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const ready = await new Promise<string | undefined>((resolve) => {
      let stderr = '';
      holder.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      holder.stdout.once('data', () => resolve(undefined));
      holder.once('exit', () => resolve(stderr.trim() || 'exited'));
    });
    if (ready === undefined && holder.pid !== undefined) {
      const pid = String(holder.pid);
      const inside = `/proc/${pid}/root${path}`;
      await mkdir(join(inside, 'data'), { mode: 0o700 });
      await symlink(join(inside, 'data'), join(path, 'data'));
      return disk(
        path,
        inside,
        `a ${sizeMiB} MiB tmpfs in an unprivileged user and mount namespace (unshare -rm; smithd joins it with nsenter)`,
        ['nsenter', '-t', pid, '-U', '-m', '--preserve-credentials', '--'],
        async () => {
          holder.kill('SIGKILL');
        },
      );
    }
    attempts.push(`unshare -rm: ${ready}`);
  }
  await rm(path, { recursive: true, force: true });
  throw new Error(
    `Cannot make a small file system to fill: ${attempts.join('; ') || 'not root and no unshare/nsenter'}. Run as root, or allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1).`,
  );
}

function disk(
  path: string,
  mounted: string,
  how: string,
  wrapper: string[],
  unmount: () => Promise<void>,
): SmallDisk {
  const filler = join(mounted, 'filler');
  return {
    dataDir: join(path, 'data'),
    how,
    wrapper,
    async fill() {
      const file = await open(filler, 'a');
      const chunk = Buffer.alloc(1024 * 1024, 0x5a);
      try {
        for (;;) {
          try {
            await file.write(chunk);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
            break;
          }
        }
        // The last bytes, smaller than a chunk.
        for (const size of [65536, 4096, 512, 1]) {
          for (;;) {
            try {
              await file.write(chunk.subarray(0, size));
            } catch {
              break;
            }
          }
        }
      } finally {
        await file.close();
      }
      const left = await statfs(mounted);
      if (left.bavail > 0) throw new Error(`the disk still has ${left.bavail} blocks free`);
    },
    async free() {
      await rm(filler, { force: true });
    },
    async remove() {
      await unmount();
      await rm(path, { recursive: true, force: true });
    },
  };
}
