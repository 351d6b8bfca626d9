import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { incidentChannelName, isValidChannelName, MAX_CHANNEL_NAME_LENGTH } from '../../src/domain/channel-name.js';

describe('incidentChannelName', () => {
  it('slugs an English title after the incident number', () => {
    expect(incidentChannelName(12, 'Toxic "blackout" challenge spreading in TR')).toBe('inc-12-toxic-blackout-challenge-spreading-in-tr');
  });

  it('transliterates Turkish, Cyrillic, Chinese and Arabic titles into valid names', () => {
    expect(incidentChannelName(1, 'Şiddet içerikli akım İstanbul')).toBe('inc-1-siddet-icerikli-akim-istanbul');
    expect(incidentChannelName(2, 'Опасный челлендж')).toBe('inc-2-opasnyy-chellendzh');
    expect(incidentChannelName(3, '自杀挑战')).toBe('inc-3-zi-sha-tiao-zhan');
    expect(isValidChannelName(incidentChannelName(4, 'تحدي خطير'))).toBe(true);
  });

  it('falls back to the bare number when the title has nothing to keep', () => {
    expect(incidentChannelName(7, '🔥🔥🔥')).toBe('inc-7');
    expect(incidentChannelName(7, '!!! ???')).toBe('inc-7');
  });

  it('neutralises mentions and markdown in the title', () => {
    expect(incidentChannelName(9, '<!channel> *urgent* <@U123>')).toBe('inc-9-channel-urgent-u123');
  });

  it('keeps long titles within 80 characters, cutting at a word', () => {
    const name = incidentChannelName(123456, 'a very long title about a harmful trending challenge '.repeat(5));
    expect(name.length).toBeLessThanOrEqual(MAX_CHANNEL_NAME_LENGTH);
    expect(name).toMatch(/^inc-123456-a-very-long-title/);
    expect(name.endsWith('-')).toBe(false);
  });

  it('gives a different valid name for each retry after name_taken', () => {
    const names = [0, 1, 2].map((attempt) => incidentChannelName(5, 'x'.repeat(100), attempt));
    expect(new Set(names).size).toBe(3);
    expect(names[1]).toMatch(/-2$/);
    for (const n of names) expect(n.length).toBeLessThanOrEqual(MAX_CHANNEL_NAME_LENGTH);
  });

  it('always yields a name Slack accepts, for any title and attempt', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 10_000_000 }),
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        fc.nat({ max: 50 }),
        (n, title, attempt) => {
          expect(isValidChannelName(incidentChannelName(n, title, attempt))).toBe(true);
        },
      ),
    );
  });
});
