/**
 * Slack's published Block Kit limits that our renderers meet (characters, or blocks), from
 * Slack's Block Kit reference. Lengths are UTF-16 code units, as Slack counts them. The kit
 * (kit.ts) fits text inside them.
 */
export const SLACK_LIMITS = {
  sectionText: 3_000,
  fieldText: 2_000,
  contextText: 3_000,
  headerText: 150,
  messageBlocks: 50,
  viewBlocks: 100,
  buttonText: 75,
  optionText: 75,
  privateMetadata: 3_000,
  viewTitle: 24,
  /** Labels, placeholders and plain-text context we write ourselves: kept short on purpose. */
  plainText: 150,
} as const;
