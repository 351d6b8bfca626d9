/**
 * The CSV export of a year, alone in a fresh process (run by bench/record.ts), so its peak
 * resident set is the export's: prints one JSON line with the time to the CSV's first byte, the
 * whole time, the bytes and the RSS growth over the process's warmed-up resident set.
 *
 *   tsx bench/record-export.ts <database-url> <now ISO> <reader>
 */
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/client.js';
import { exportYear } from './record-paths.js';

const [url, nowText, reader] = process.argv.slice(2);
if (!url || !nowText || !reader) throw new Error('usage: tsx bench/record-export.ts <database-url> <now ISO> <reader>');
const now = new Date(nowText);
const handle = await openDatabase({ url, dataDir: '/nonexistent', maxConnections: 4 });
try {
  // Warm: modules, connections and the plans of the export's queries, on one day's export.
  await exportYear({ db: handle.db, now: new Date(now.getTime() - 364 * 86_400_000), reader });
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  // The CSV streams (issue 26): its header leaves once the period's span is read, then a page at a time.
  const { length: bytes, firstByteAt, firstPageAt } = await exportYear({ db: handle.db, now, reader });
  const totalMs = performance.now() - started;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  console.log(
    JSON.stringify({
      firstByteMs: firstByteAt - started,
      firstPageMs: firstPageAt - started,
      totalMs,
      bytes,
      rssGrowthMB: Math.max(0, peakRss - rssBefore) / 2 ** 20,
      streams: true,
    }),
  );
} finally {
  await handle.close();
}
