/**
 * The only URLs the sandbox page turns into links or images: http(s) and mailto, as Slack shows.
 * A bot-looking message planted through the response_url must not carry `javascript:` or `data:`.
 */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return /^(https?:\/\/|mailto:)/i.test(url.trim()) ? url.trim() : undefined;
}
