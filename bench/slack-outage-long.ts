/**
 * The fault suite's Slack outage at production's time scale, as a benchmark figure (not run in
 * CI, not part of `npm run bench`): Slack answers 5xx for 120 s, the reconciler runs every minute
 * and the jobs back off at production's pace (JOB_BACKOFF_SCALE 1). `npm run test:faults` proves
 * the same thing in a 20 s outage with a 5 s reconciler and a quarter of the backoff.
 * Prints the test's `faults: slack outage: ...` line (pages, drain time, re-enqueued actions).
 *
 * Knobs (env): FAULTS_SLACK_OUTAGE_S (120), FAULTS_RECONCILE_MS (60000), FAULTS_BACKOFF_SCALE (1).
 * Run alone: `npx tsx bench/slack-outage-long.ts` (about 5 minutes).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const result = spawnSync(
  process.execPath,
  [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'vitest.faults.config.ts', 'tests/faults/slack-outage.test.ts'],
  {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      FAULTS_SLACK_OUTAGE_S: process.env.FAULTS_SLACK_OUTAGE_S ?? '120',
      FAULTS_RECONCILE_MS: process.env.FAULTS_RECONCILE_MS ?? '60000',
      FAULTS_BACKOFF_SCALE: process.env.FAULTS_BACKOFF_SCALE ?? '1',
    },
  },
);
console.log(`bench: slack outage at production scale took ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(result.status ?? 1);
