/**
 * Summarises a V8 CPU profile written by `BENCH_PROFILE=1 npm run bench` (bench/profiles/<server>/):
 *   npx tsx bench/profile-summary.ts bench/profiles/meridian/CPU.*.001.cpuprofile [skip-fraction]
 * Prints self time by package and by function, skipping the first `skip-fraction` (default 0.25)
 * of the profile, which is mostly start-up. Each server writes two profiles: `.0.` is its main
 * thread; the other is tsx's loader thread.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function packageOf(url: string): string {
  if (!url) return '(native)';
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dep) return dep[1]!;
  const own = /\/(src|bench|tests)\/(.*)$/.exec(url);
  if (own) return `${own[1]}/${own[2]}`;
  return url;
}

function top(map: Map<string, number>, all: number, n: number): string {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${(v / 1000).toFixed(0).padStart(7)} ms ${((100 * v) / all).toFixed(1).padStart(5)}%  ${k}`)
    .join('\n');
}

const [file, skipArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [skip-fraction]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const cut = profile.startTime + (profile.endTime - profile.startTime) * Number(skipArg ?? 0.25);
const byPackage = new Map<string, number>();
const byFunction = new Map<string, number>();
let all = 0;
let t = profile.startTime;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  t += dt;
  const node = nodes.get(id);
  if (!node || t < cut || node.callFrame.functionName === '(idle)') return;
  all += dt;
  const pkg = packageOf(node.callFrame.url);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + dt);
  const fn = `${node.callFrame.functionName || '(anonymous)'} ${pkg}:${node.callFrame.lineNumber + 1}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + dt);
});
console.log(`busy ${(all / 1000).toFixed(0)} ms after skipping the first ${Number(skipArg ?? 0.25) * 100}%`);
console.log(`\nself time by package\n${top(byPackage, all, 25)}`);
console.log(`\nself time by function\n${top(byFunction, all, 30)}`);
