import { describe, expect, it } from 'vitest';
import { localDateTimeOf } from '../../src/domain/local-time.js';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { clockInZone, formatInZone, isKnownTimeZone, utcText } from '../../src/domain/zoned-format.js';
import { utcInstant } from '../../src/blocks/clock-messages.js';
import { hubClock } from '../../src/blocks/oncall-format.js';
import { slackDate } from '../../src/slack-api/mrkdwn.js';

const pad = (n: number) => String(n).padStart(2, '0');

describe('formatInZone', () => {
  it('writes the wall clock of the given zone, whatever the process zone', () => {
    const at = new Date('2026-03-02T12:05:59Z');
    expect(formatInZone(at, 'UTC')).toBe('2026-03-02 12:05');
    expect(formatInZone(at, 'Asia/Singapore')).toBe('2026-03-02 20:05');
    expect(formatInZone(at, 'Europe/Dublin')).toBe('2026-03-02 12:05');
    expect(formatInZone(at, 'America/Los_Angeles')).toBe('2026-03-02 04:05');
  });

  it('writes midnight as 00, not 24', () => {
    expect(formatInZone(new Date('2026-03-02T16:00:00Z'), 'Asia/Singapore')).toBe('2026-03-03 00:00');
  });

  it('follows daylight saving time on both sides of a change', () => {
    expect(formatInZone(new Date('2026-03-29T00:59:00Z'), 'Europe/Dublin')).toBe('2026-03-29 00:59');
    expect(formatInZone(new Date('2026-03-29T01:00:00Z'), 'Europe/Dublin')).toBe('2026-03-29 02:00');
    expect(formatInZone(new Date('2026-11-01T08:30:00Z'), 'America/Los_Angeles')).toBe('2026-11-01 01:30');
    expect(formatInZone(new Date('2026-11-01T09:30:00Z'), 'America/Los_Angeles')).toBe('2026-11-01 01:30');
  });

  it('agrees with the rotation maths on the local time, every 7 hours for a year', () => {
    for (const zone of ['Asia/Singapore', 'Europe/Dublin', 'America/Los_Angeles', 'Asia/Kolkata', 'Australia/Lord_Howe']) {
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 7 * 3_600_000 + 60_000) {
        const local = localDateTimeOf(t, zone);
        expect(formatInZone(new Date(t), zone)).toBe(
          `${local.year}-${pad(local.month)}-${pad(local.day)} ${pad(local.hour)}:${pad(local.minute)}`,
        );
      }
    }
  });

  it('refuses an invalid date', () => {
    expect(() => formatInZone(new Date(Number.NaN), 'UTC')).toThrow(RangeError);
  });
});

describe('isKnownTimeZone', () => {
  it('knows IANA zones and nothing else', () => {
    expect(isKnownTimeZone('Asia/Singapore')).toBe(true);
    expect(isKnownTimeZone('UTC')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isKnownTimeZone('Asia/Singapore | <x>')).toBe(false);
  });
});

describe('one clock convention for every time written as text (issue 19: 12- and 24-hour times mixed in one line)', () => {
  const evening = new Date('2026-12-07T23:54:00Z');

  it('writes the UTC instant, a hub clock, a wall time and a Slack date fallback all in 24 hours, from one path', () => {
    expect(utcText(evening)).toBe('2026-12-07 23:54 UTC');
    expect(utcInstant(evening)).toBe('2026-12-07 23:54 UTC');
    expect(utcInstant(new Date('2026-12-07T23:54:05Z'))).toBe('2026-12-07 23:54:05 UTC');
    expect(clockInZone(evening, 'Asia/Singapore')).toBe('07:54');
    expect(hubClock(evening, 'America/Los_Angeles')).toBe('15:54 Mon');
    expect(slackDate(evening)).toMatch(/\|2026-12-07 23:54 UTC>$/);
    for (const text of [utcText(evening), hubClock(evening, 'Asia/Singapore'), slackDate(evening)]) expect(text).not.toMatch(/\b(AM|PM)\b/);
  });

  it('no file of the bot writes a time by hand: ISO slices, hour12 and AM/PM are left to src/domain/zoned-format.ts', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) {
          if (path !== join('src', 'sandbox')) walk(path);
        } else if (path.endsWith('.ts') && path !== join('src', 'domain', 'zoned-format.ts')) files.push(path);
      }
    };
    walk('src');
    const handMade = /toISOString\(\)\.slice\((11|0, 16)|hour12|toLocaleTimeString|[0-9}] ?[AP]M\b|'AM' : 'PM'/;
    expect(files.filter((f) => handMade.test(readFileSync(f, 'utf8')))).toEqual([]);
  });
});
