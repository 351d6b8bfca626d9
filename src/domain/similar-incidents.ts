/**
 * "Seen before": what two incidents are compared on, which markets an incident names, and which
 * earlier incidents are close enough to show. Postgres scores the candidates (pg_trgm similarity
 * and full-text search over the text made here); this decides, so the rule is tested without SQL.
 */
import { transliterate } from 'transliteration';

export const LINK_KINDS = ['related', 'duplicate', 'caused-by'] as const;
export type IncidentLinkKind = (typeof LINK_KINDS)[number];

export function isLinkKind(value: string): value is IncidentLinkKind {
  return (LINK_KINDS as readonly string[]).includes(value);
}

/** How a link reads from the other end: INC-3 "caused-by" INC-2 shows on INC-2 as "caused INC-3". */
export function linkLabel(kind: IncidentLinkKind, fromThisEnd: boolean): string {
  if (kind === 'caused-by') return fromThisEnd ? 'caused by' : 'caused';
  return kind === 'duplicate' ? (fromThisEnd ? 'duplicate of' : 'duplicated by') : 'related to';
}

/**
 * Text as the comparison sees it: every script transliterated to Latin, lower case, letters and
 * digits only ("Блэкаут #челлендж" -> "blekaut chellendzh"); hashtags keep their word.
 */
export function comparableText(...parts: ReadonlyArray<string | null | undefined>): string {
  return parts
    .filter((p): p is string => Boolean(p))
    .map((p) => transliterate(p.normalize('NFKC')).toLowerCase())
    .join(' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Words too common to say two incidents are alike. */
const STOPWORDS = new Set(
  'the and for with from again this that these those into are was were has have had not new our its about over after before than then there their they them you your all any can now still more some what when where which who why how per via out off onto upon also just very been being will would could should may might must incident'.split(
    ' ',
  ),
);

/** The words of comparable text worth matching on (three letters or more, not a stopword), each once. */
export function distinctiveWords(text: string): string[] {
  return [...new Set(text.split(' ').filter((w) => w.length >= 3 && !STOPWORDS.has(w)))];
}

/** A full-text query (Postgres `to_tsquery('simple', …)`) matching any distinctive word; null when there is none. Words are [a-z0-9] only. */
export function anyWordQuery(text: string, max = 30): string | null {
  const words = distinctiveWords(text).slice(0, max);
  return words.length ? words.join(' | ') : null;
}

/** Uppercase two-letter words that Slack users type as words, not as markets. */
const NOT_MARKETS = new Set(['AI', 'AM', 'AS', 'AT', 'BE', 'BY', 'DO', 'GO', 'IS', 'IT', 'ME', 'MY', 'NO', 'OR', 'SO', 'TO', 'UP', 'US']);
const NAME_ALIASES: Readonly<Record<string, string>> = { turkey: 'TR', uk: 'GB', usa: 'US', 'united states': 'US', america: 'US' };

let regionNames: ReadonlyMap<string, string> | undefined;
let namesToCodes: ReadonlyArray<[string, string]> | undefined;

/** ISO 3166 regions Intl knows, by code, with their English names. */
function regions(): ReadonlyMap<string, string> {
  if (regionNames) return regionNames;
  const names = new Intl.DisplayNames(['en'], { type: 'region' });
  const map = new Map<string, string>();
  for (let a = 65; a <= 90; a += 1)
    for (let b = 65; b <= 90; b += 1) {
      const code = String.fromCharCode(a, b);
      const name = names.of(code);
      if (name && name !== code && name !== 'Unknown Region') map.set(code, name);
    }
  regionNames = map;
  return map;
}

function nameIndex(): ReadonlyArray<[string, string]> {
  if (namesToCodes) return namesToCodes;
  const entries: Array<[string, string]> = [...regions()].map(([code, name]) => [comparableText(name), code]);
  entries.push(...Object.entries(NAME_ALIASES));
  namesToCodes = entries.filter(([name]) => name.length >= 4 || NAME_ALIASES[name]);
  return namesToCodes;
}

/**
 * The markets an incident's text names: country codes typed as uppercase words ("in TR"), or
 * country names in any script ("seen in Indonesia"). In order of first mention, each once.
 */
export function marketsIn(...parts: ReadonlyArray<string | null | undefined>): string[] {
  const text = parts.filter(Boolean).join(' ');
  const found: Array<{ at: number; code: string }> = [];
  // Shouted text ("SPAM IN TR") gives no codes: every word would look like one.
  if (/\p{Ll}/u.test(text))
    for (const m of text.matchAll(/(?<![\p{L}\p{N}])([A-Z]{2})(?![\p{L}\p{N}])/gu)) {
      const code = m[1] ?? '';
      if (regions().has(code) && !NOT_MARKETS.has(code)) found.push({ at: m.index ?? 0, code });
    }
  const plain = ` ${comparableText(text)} `;
  for (const [name, code] of nameIndex()) {
    const at = plain.indexOf(` ${name} `);
    if (at >= 0) found.push({ at: at + text.length, code });
  }
  return [...new Set(found.sort((x, y) => x.at - y.at).map((f) => f.code))];
}

/** What Postgres said of one earlier incident against the new one. */
export interface SimilarityScores {
  /** pg_trgm, titles: the best of similarity and word similarity both ways (0..1). */
  title: number;
  /** pg_trgm similarity of the whole text (title, summary, hashtags, linked reports). */
  body: number;
  /** The earlier incident's comparable text (for the shared words). */
  bodyText: string;
}

/** How alike, 0 and up; null when not alike enough to show. */
export function similarityScore(queryBody: string, candidate: SimilarityScores): number | null {
  const mine = new Set(distinctiveWords(queryBody));
  const shared = distinctiveWords(candidate.bodyText).filter((w) => mine.has(w)).length;
  const trigram = Math.max(candidate.title, candidate.body);
  if (trigram < 0.45 && shared < 3) return null;
  return trigram + 0.05 * Math.min(shared, 4);
}

/** The best `limit` of the candidates worth showing, most alike first. */
export function rankSimilar<T extends SimilarityScores>(queryBody: string, candidates: readonly T[], limit = 3): T[] {
  return candidates
    .map((c) => ({ c, score: similarityScore(queryBody, c) }))
    .filter((x): x is { c: T; score: number } => x.score !== null)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((x) => x.c);
}
