/**
 * onCallAt evaluations per second and handoffsBetween over four weeks, for the three-hub
 * follow-the-sun schedule of `config/meridian.example.yaml`, single thread, after a warm-up.
 */
import { readFileSync } from 'node:fs';
import { mulberry32 } from './stats.js';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseMeridianConfig } from '../src/config-file/load.js';
import { handoffsBetween } from '../src/domain/handoffs.js';
import { onCallAt } from '../src/domain/rotation.js';
import { resolveSchedule, type Schedule } from '../src/domain/schedule.js';
import { markdownTable, summarize } from './stats.js';

const EXAMPLE = fileURLToPath(new URL('../config/meridian.example.yaml', import.meta.url));
const YEAR_FROM = Date.UTC(2026, 0, 1);
const YEAR_TO = Date.UTC(2027, 0, 1);
const FOUR_WEEKS_MS = 28 * 24 * 3600 * 1000;

export interface OncallResult {
  scheduleId: string;
  layers: number;
  onCallPerSecond: number;
  onCallNsPerCall: number;
  onCallCalls: number;
  /** null answers (nobody on call) among the measured instants: a sanity check. */
  onCallNobody: number;
  handoffMsP50: number;
  handoffMsP99: number;
  handoffMsMean: number;
  handoffCalls: number;
  handoffsPerWindowMean: number;
}

export function exampleSchedule(): Schedule {
  const parsed = parseMeridianConfig(readFileSync(EXAMPLE, 'utf8'), 'yaml');
  if (!parsed.ok) throw new Error(`config/meridian.example.yaml does not parse:\n${parsed.errors.join('\n')}`);
  const def = parsed.config.schedules[0];
  if (!def) throw new Error('config/meridian.example.yaml has no schedule');
  const resolved = resolveSchedule(def, new Map());
  if (!resolved.ok) throw new Error(`unresolved e-mails in the example schedule: ${resolved.unresolvedEmails.join(', ')}`);
  return resolved.schedule;
}

export function runOncallBench(opts: { onCallMs?: number; handoffCalls?: number } = {}): OncallResult {
  const schedule = exampleSchedule();
  const random = mulberry32(2026);
  const N = 100_000;
  const instants = new Float64Array(N);
  for (let i = 0; i < N; i++) instants[i] = YEAR_FROM + random() * (YEAR_TO - YEAR_FROM);

  // Warm-up: let the JIT settle (and fill any Intl caches) before timing.
  let sink = 0;
  for (let i = 0; i < 20_000; i++) sink += onCallAt(schedule, instants[i % N]!) ? 1 : 0;

  // Measured: whole passes over the instants until the time budget is spent.
  const budget = opts.onCallMs ?? 3000;
  let calls = 0;
  let nobody = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < budget) {
    for (let i = 0; i < 10_000; i++) {
      const at = instants[(calls + i) % N]!;
      if (onCallAt(schedule, at) === null) nobody += 1;
    }
    calls += 10_000;
    elapsed = performance.now() - t0;
  }
  sink += nobody;

  // handoffsBetween over four weeks from random instants of 2026.
  const handoffCalls = opts.handoffCalls ?? 2000;
  for (let i = 0; i < 200; i++) {
    const from = new Date(instants[i]!);
    sink += handoffsBetween(schedule, from, new Date(from.getTime() + FOUR_WEEKS_MS)).length;
  }
  const perCall: number[] = [];
  let handoffs = 0;
  for (let i = 0; i < handoffCalls; i++) {
    const from = new Date(instants[(i * 7) % N]!);
    const to = new Date(from.getTime() + FOUR_WEEKS_MS);
    const s = performance.now();
    handoffs += handoffsBetween(schedule, from, to).length;
    perCall.push(performance.now() - s);
  }
  if (sink < 0) console.log(sink); // keeps the work observable
  const h = summarize(perCall);
  return {
    scheduleId: schedule.id,
    layers: schedule.layers.length,
    onCallPerSecond: calls / (elapsed / 1000),
    onCallNsPerCall: (elapsed * 1e6) / calls,
    onCallCalls: calls,
    onCallNobody: nobody,
    handoffMsP50: h.p50,
    handoffMsP99: h.p99,
    handoffMsMean: h.mean,
    handoffCalls,
    handoffsPerWindowMean: handoffs / handoffCalls,
  };
}

export function oncallMarkdown(r: OncallResult): string {
  return [
    `Schedule \`${r.scheduleId}\` of \`config/meridian.example.yaml\` (${r.layers} layers: APAC, EMEA, AMER and a weekend layer, plus one override), resolved with \`resolveSchedule(def, new Map())\`. Single thread, in the bench process, after a warm-up of 20,000 calls; instants uniformly random across 2026 (fixed seed).`,
    '',
    markdownTable(
      ['call', 'figure'],
      [
        [
          '`onCallAt` evaluations per second',
          `${Math.round(r.onCallPerSecond).toLocaleString('en-US')} (${(r.onCallNsPerCall / 1000).toFixed(2)} µs per call, ${r.onCallCalls.toLocaleString('en-US')} calls; ${r.onCallNobody.toLocaleString('en-US')} found nobody on call)`,
        ],
        [
          '`handoffsBetween` over 4 weeks, ms per call p50 / p99 / mean',
          `${r.handoffMsP50.toFixed(3)} / ${r.handoffMsP99.toFixed(3)} / ${r.handoffMsMean.toFixed(3)} (${r.handoffCalls} calls, ${r.handoffsPerWindowMean.toFixed(1)} handoffs per window)`,
        ],
      ],
    ),
  ].join('\n');
}
