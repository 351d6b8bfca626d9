import { describe, expect, it } from 'vitest';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { renderReviewMarkdown, type ReviewInput } from '../../src/domain/review.js';
import { reviewDueAt, reviewTemplateFor, sectionFact } from '../../src/domain/review-template.js';
import { anyWordQuery, comparableText, linkLabel, marketsIn, rankSimilar, similarityScore } from '../../src/domain/similar-incidents.js';

describe('seen before: the text compared', () => {
  it('when text is in another script, then it is transliterated, lower-cased and reduced to words; hashtags keep their word', () => {
    expect(comparableText('Блэкаут #челлендж!', null, 'In TR')).toBe('blekaut chellendzh in tr');
    expect(anyWordQuery(comparableText('the Blackout challenge in TR again'))).toBe('blackout | challenge');
    expect(anyWordQuery('in a TR')).toBeNull();
  });

  it('when an incident names markets, then codes typed as words and country names are found, in order, each once', () => {
    expect(marketsIn('Blackout challenge resurging in TR', 'First seen in Indonesia; TR again')).toEqual(['TR', 'ID']);
    expect(marketsIn('IT outage: moderation tools down')).toEqual([]);
    expect(marketsIn('SPAM WAVE IN TR')).toEqual([]);
    expect(marketsIn('Hoax spreading in Turkey')).toEqual(['TR']);
  });

  it('when candidates are scored, then close titles or three shared words are shown, best first, and weak ones are not', () => {
    const query = comparableText('Blackout challenge resurging in TR');
    const close = { title: 1, body: 0.5, bodyText: 'blackout challenge' };
    const words = { title: 0.2, body: 0.2, bodyText: 'teens blackout challenge resurging clips' };
    const weak = { title: 0.3, body: 0.2, bodyText: 'regulator order challenge' };
    expect(similarityScore(query, weak)).toBeNull();
    expect(rankSimilar(query, [weak, words, close])).toEqual([close, words]);
    expect(rankSimilar(query, [weak, words, close], 1)).toEqual([close]);
  });

  it('when a link is read from either end, then it says which way it goes', () => {
    expect(linkLabel('caused-by', true)).toBe('caused by');
    expect(linkLabel('caused-by', false)).toBe('caused');
    expect(linkLabel('duplicate', false)).toBe('duplicated by');
    expect(linkLabel('related', false)).toBe('related to');
  });
});

describe('reviews by kind of incident', () => {
  it('when resolved on a Friday evening in Dublin, then the review is due five working days later at the same local time, across a DST change', () => {
    // Friday 23 Oct 2026 18:30 Dublin (UTC+1); Dublin falls back on Sunday 25 Oct.
    const due = reviewDueAt(new Date('2026-10-23T17:30:00Z'), 'Europe/Dublin', 5);
    expect(due.toISOString()).toBe('2026-10-30T18:30:00.000Z');
    // Singapore: Wednesday 09:00 local -> the next Wednesday.
    expect(reviewDueAt(new Date('2026-03-04T01:00:00Z'), 'Asia/Singapore', 5).toISOString()).toBe('2026-03-11T01:00:00.000Z');
  });

  it("when the config has review templates, then they are read, checked against the categories, and a category's template is found", () => {
    const good = parseMeridianConfig(
      'reviews:\n  templates:\n    - { category: child-safety, sections: ["Policy gap", "Follow-ups"], owner: U0LEGAL01 }\n',
      'yaml',
    );
    expect(good.ok).toBe(true);
    if (!good.ok) return;
    expect(good.config.reviews?.dueWorkingDays).toBe(5);
    expect(reviewTemplateFor(good.config.reviews, 'child-safety')).toEqual({
      category: 'child-safety',
      sections: ['Policy gap', 'Follow-ups'],
      ownerId: 'U0LEGAL01',
    });
    expect(reviewTemplateFor(good.config.reviews, 'other')).toBeUndefined();
    const bad = parseMeridianConfig('reviews:\n  templates:\n    - { category: no-such, sections: [] }\n', 'yaml');
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.join('\n')).toMatch(/reviews\.templates\[0\]/);
  });

  it('when a template section is about deadlines or follow-ups, then the record fills it; any other asks for an answer', () => {
    expect(sectionFact('Each deadline: met or missed, and why')).toBe('deadlines');
    expect(sectionFact('Follow-ups')).toBe('follow-ups');
    expect(sectionFact('Policy gap')).toBeNull();
    const input: ReviewInput = {
      number: 7,
      title: 'Order',
      severity: 'sev3',
      category: 'Regulator request',
      status: 'resolved',
      isPrivate: false,
      summary: '',
      declaredBy: 'U0DECL001',
      declaredAt: new Date('2026-03-02T10:00:00Z'),
      acknowledgedAt: null,
      mitigatedAt: null,
      resolvedAt: new Date('2026-03-02T12:00:00Z'),
      closedAt: null,
      resolutionSummary: null,
      mitigation: null,
      timeline: [],
      roles: [],
      followUps: [{ text: 'Brief legal' }],
      hubs: [],
      deadlines: [
        {
          name: 'Hour order',
          source: 'Art. 3',
          startKind: 'received',
          startedAt: new Date('2026-03-02T10:00:00Z'),
          dueAt: new Date('2026-03-02T11:00:00Z'),
          state: 'missed',
          respondedAt: new Date('2026-03-02T11:10:00Z'),
          respondedBy: 'U0DECL001',
          missedAt: new Date('2026-03-02T11:00:00Z'),
        },
      ],
      template: { sections: ['Each deadline: met or missed, and why', 'Policy gap'] },
      review: { ownerId: 'U0LEGAL01', dueAt: new Date('2026-03-09T12:00:00Z'), status: 'in-review' },
      links: [{ label: 'duplicate of', number: 3, title: 'Earlier order' }],
    };
    const md = renderReviewMarkdown(input);
    const deadlineSection = md.split('## Each deadline: met or missed, and why')[1]!.split('\n## ')[0]!;
    expect(deadlineSection).toContain('missed by 10 min');
    expect(md.split('## Policy gap')[1]!.split('\n## ')[0]).toContain('_To answer (required for this kind of incident)._');
    expect(md).toContain('| Review status | In review |');
    expect(md).toContain('| Review due | 2026-03-09 12:00 UTC |');
    expect(md).toContain('## Linked incidents\n\n- duplicate of INC-3: Earlier order');
  });
});
