/** Child process of the memory test: packs argv[2] into argv[3] and reports how much its RSS grew. */
import { packBundle } from './pack-bundle.ts';

const [manifestsDir, output] = process.argv.slice(2) as [string, string];
const versionFile = {
  app: 'big',
  id: '1',
  gitSha: 'abcdef1',
  branch: null,
  tag: null,
  committer: null,
  buildNumber: null,
  pipelineUrl: null,
  createdAt: '2024-05-01T12:00:00Z',
};
// Measured after the modules are loaded, so only the packing's own growth counts.
const baseline = process.memoryUsage().rss;
let peak = baseline;
const sample = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 5);
const { size } = await packBundle({ versionFile, manifestsDir, output });
clearInterval(sample);
peak = Math.max(peak, process.memoryUsage().rss);
process.stdout.write(JSON.stringify({ growth: peak - baseline, size }));
