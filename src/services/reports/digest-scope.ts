/** Which period a digest covers: the latest complete week or month, or a range of UTC days. */
import type { ReportsConfig } from '../../config-file/reports.js';
import type { DigestScope } from '../../domain/digest.js';
import {
  type DigestCadence,
  type MonthlyDigestRule,
  nextMonthlyRun,
  nextWeeklyRun,
  readDayRange,
  type WeeklyDigestRule,
} from '../../domain/digest-period.js';
import { UserError } from '../../errors.js';

/** Without a `reports:` section, `/incident report` still answers, over UTC weeks and months. */
const FALLBACK_WEEKLY: WeeklyDigestRule = { day: 'mon', at: { hour: 0, minute: 0 }, timeZone: 'UTC' };
const FALLBACK_MONTHLY: MonthlyDigestRule = { day: 1, at: { hour: 0, minute: 0 }, timeZone: 'UTC' };

/** The last complete period of a cadence at `now`: the one whose run is the latest not after now. */
function latestScope(cadence: DigestCadence, reports: ReportsConfig | undefined, now: Date): DigestScope {
  const rules = { weekly: reports?.weekly ?? FALLBACK_WEEKLY, monthly: reports?.monthly ?? FALLBACK_MONTHLY };
  const step = (after: Date) => (cadence === 'weekly' ? nextWeeklyRun(rules.weekly, after) : nextMonthlyRun(rules.monthly, after));
  // Start safely before the latest run and walk forward; the period ending at or before now wins.
  let run = step(new Date(now.getTime() - (cadence === 'weekly' ? 15 : 64) * 86_400_000));
  for (;;) {
    const next = step(run.runAt);
    if (next.period.to > now) return run;
    run = next;
  }
}

/** `weekly`, `monthly` (or nothing: weekly), or `<from> <to>` as UTC days compared with as many days before. */
export function scopeOf(args: string, reports: ReportsConfig | undefined, now: Date): DigestScope {
  const words = args.split(/\s+/).filter((w) => w !== '');
  const first = words[0]?.toLowerCase();
  if (words.length === 0 || (words.length === 1 && (first === 'weekly' || first === 'week'))) return latestScope('weekly', reports, now);
  if (words.length === 1 && (first === 'monthly' || first === 'month')) return latestScope('monthly', reports, now);
  const range = readDayRange(words[0], words[1]);
  if (!range.ok || words.length > 2) {
    const problems = range.ok ? ['expected two dates, from and to'] : range.problems;
    throw new UserError(
      'bad_report_range',
      `Use \`/incident report weekly\`, \`monthly\` or \`<from> <to>\` (YYYY-MM-DD, UTC days): ${problems.join('; ')}.`,
    );
  }
  const length = range.period.to.getTime() - range.period.from.getTime();
  return {
    cadence: 'range',
    period: range.period,
    previous: { from: new Date(range.period.from.getTime() - length), to: range.period.from },
    timeZone: 'UTC',
  };
}
