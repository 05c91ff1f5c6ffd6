/**
 * Where the working clone's remote is, and the settings the clone runs with: the same behaviour
 * whatever the user's or system's git config says.
 */
import { isAbsolute, resolve } from 'node:path';

/** A local path (not a URL nor `host:path`) resolved against the current directory. */
export function resolveRemote(url: string): string {
  const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
  const isScpLike = !isAbsolute(url) && /^[^/]+:/.test(url);
  return isUrl || isScpLike ? url : resolve(url);
}

/** A value as git's config files quote it. */
const quoted = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * The clone's settings, in a file of their own that its config includes: the same behaviour
 * whatever the user's or system's git config says, written in one go rather than one `git config`
 * per key.
 */
export function cloneConfig(url: string, branch: string, remoteRef: string, hooks: string): string {
  return `# Written by smithd on every start; edits here are lost.
[core]
\tautocrlf = false
\tsafecrlf = false
\tsymlinks = true
\t# A deploy's commands name their paths; starting threads to preload the index costs more than
\t# it saves there (\`git add\` of one app into an index of 3,000 entries: 13.8 → 12.5 ms).
\tpreloadIndex = false
\thooksPath = ${quoted(hooks)}
\t# The remote keeps the history; a reflog here would only grow by a line per deploy.
\tlogAllRefUpdates = false
\t# Set by hand: \`git sparse-checkout set\` leaves them unset in a clone with no commit yet.
\tsparseCheckout = true
\tsparseCheckoutCone = true
[index]
\tversion = 4
\tsparse = true
[fastimport]
\t# A deploy's objects stay in the small pack fast-import wrote, rather than a second git process
\t# exploding it into loose objects (the commit of a deploy: 43 → 27 ms); maintain() rolls the
\t# small packs up.
\tunpackLimit = 0
[commit]
\tgpgsign = false
\tstatus = false
[push]
\tgpgsign = false
[advice]
\tdetachedHead = false
# Background maintenance would race our own ref updates; maintain() runs it inside the queue.
[gc]
\tauto = 0
[maintenance]
\tauto = false
[fetch]
\twriteCommitGraph = false
[remote "origin"]
\turl = ${quoted(url)}
\tfetch = ${quoted(`+refs/heads/${branch}:${remoteRef}`)}
`;
}
