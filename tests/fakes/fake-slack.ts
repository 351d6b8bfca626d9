/**
 * A fake Slack Web API over real HTTP, for integration and end-to-end tests.
 *
 * It keeps workspace state the way Slack does (channels, members, pins, messages, DMs, views,
 * files), enforces the arguments and error codes of the methods Meridian uses, and lets a test
 * inject faults (429 + Retry-After, 5xx, Slack errors, delays, hangs). See `fake-slack/`.
 */
export { FAKE_OAUTH_APP, startFakeSlack, type FakeSlack, type FakeSlackOptions } from '../../src/sandbox/slack/start.js';
export { BOT_ID, BOT_USER_ID, DEFAULT_FAKE_USERS, TEAM_ID } from '../../src/sandbox/slack/state.js';
export { channelNameError } from '../../src/sandbox/slack/methods/conversations-create.js';
export { BLOCK_KIT_LIMITS, blockKitProblems } from '../../src/sandbox/slack/block-kit-limits.js';
export type {
  FakeChannel,
  FakeEphemeral,
  FakeFile,
  FakeMessage,
  FakeUser,
  FakeView,
  Fault,
  RecordedCall,
} from '../../src/sandbox/slack/types.js';
