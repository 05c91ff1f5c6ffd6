/**
 * Real parts, never mocks: a test that needs a program asks for it here. A missing program fails
 * the test with what to install; it never skips, so CI cannot pass without the part.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const INSTALL_HINTS: Record<string, string> = {
  git: 'apt-get install git',
  kubectl: "kubectl >= 1.27 from the machine image (never Debian's kubernetes-client, it is too old)",
  'docker-registry': 'apt-get install docker-registry',
  skopeo: 'apt-get install skopeo',
  initdb: 'apt-get install postgresql (add /usr/lib/postgresql/<v>/bin to PATH)',
  pg_ctl: 'apt-get install postgresql (add /usr/lib/postgresql/<v>/bin to PATH)',
  postgres: 'apt-get install postgresql (add /usr/lib/postgresql/<v>/bin to PATH)',
};

/** Where a program is on PATH, or undefined. */
export function findTool(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** The path of a program the test cannot run without; throws with the install hint when missing. */
export function requireTool(name: string): string {
  const path = findTool(name);
  if (path === undefined) {
    const hint = INSTALL_HINTS[name] ?? `install ${name}`;
    throw new Error(`This test needs \`${name}\` on PATH and it is missing: ${hint}. .ci/run installs it.`);
  }
  return path;
}
