import { slugify } from 'transliteration';

/** Slack's limit for channel names. */
export const MAX_CHANNEL_NAME_LENGTH = 80;

/**
 * The channel name for an incident: `inc-<n>-<slug-of-title>`, within Slack's rules
 * (lowercase letters, digits, `-` and `_`, at most 80 characters). Titles in other scripts are
 * transliterated ("Опасный челлендж" -> "opasnyy-chellendzh"); a title with nothing to keep
 * (emoji only), or an empty one (a private incident's, by default), gives `inc-<n>`. `attempt` > 0 adds `-2`, `-3`, ... after a `name_taken`.
 */
export function incidentChannelName(number: number, title: string, attempt = 0): string {
  const prefix = `inc-${number}`;
  const suffix = attempt > 0 ? `-${attempt + 1}` : '';
  const room = MAX_CHANNEL_NAME_LENGTH - prefix.length - suffix.length - 1;
  const slug = truncateAtWord(slugOf(title), room);
  return slug ? `${prefix}-${slug}${suffix}` : `${prefix}${suffix}`;
}

function slugOf(title: string): string {
  return slugify(title, { lowercase: true, separator: '-', trim: true })
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
}

/** Cut at a hyphen where possible, so the name does not end mid-word. */
function truncateAtWord(slug: string, max: number): string {
  if (max <= 0) return '';
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max);
  const lastHyphen = cut.lastIndexOf('-');
  return (lastHyphen > max / 2 ? cut.slice(0, lastHyphen) : cut).replace(/[-_]+$/, '');
}

/** True when Slack would accept `name` for conversations.create. */
export function isValidChannelName(name: string): boolean {
  return name.length > 0 && name.length <= MAX_CHANNEL_NAME_LENGTH && /^[a-z0-9_-]+$/.test(name) && /[a-z0-9]/.test(name);
}
