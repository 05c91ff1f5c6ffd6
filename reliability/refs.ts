/** Every ref of a git repo and the commit it points at: one string to compare before and after. */
import { execa } from 'execa';

export async function refsOf(repo: string): Promise<string> {
  return (await execa('git', ['for-each-ref', '--format=%(refname) %(objectname)'], { cwd: repo })).stdout;
}
