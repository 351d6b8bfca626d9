import type { MethodHandler } from './args.js';
import { chatGetPermalink, chatPostEphemeral, chatPostMessage, chatUpdate } from './chat.js';
import { conversationsCreate } from './conversations-create.js';
import {
  conversationsArchive,
  conversationsInfo,
  conversationsInvite,
  conversationsMembers,
  conversationsOpen,
  conversationsSetTopic,
} from './conversations.js';
import { conversationsHistory, conversationsReplies } from './history.js';
import { filesCompleteUploadExternal, filesGetUploadUrlExternal } from './files.js';
import { pinsAdd, pinsRemove } from './pins.js';
import { adminConversationsSetTeams, authTest, teamInfo } from './grid.js';
import { canvasesCreate, canvasesEdit } from './canvases.js';
import { usergroupsList, usergroupsUsersUpdate } from './usergroups.js';
import { usergroupsUsersList, usersInfo, usersLookupByEmail } from './users.js';
import { viewsOpen, viewsPublish, viewsPush, viewsUpdate } from './views.js';

/** Slack's rate-limit tiers, as requests per minute. `special` is chat.postMessage's 1/s per channel. */
export type RateTier = 1 | 2 | 3 | 4 | 'special';

interface MethodSpec {
  handler: MethodHandler;
  tier: RateTier;
}

/** Every Web API method the fake answers, with Slack's documented rate tier. */
export const METHODS: ReadonlyMap<string, MethodSpec> = new Map<string, MethodSpec>([
  ['auth.test', { handler: authTest, tier: 4 }],
  ['team.info', { handler: teamInfo, tier: 3 }],
  ['conversations.create', { handler: conversationsCreate, tier: 2 }],
  ['conversations.setTopic', { handler: conversationsSetTopic, tier: 2 }],
  ['conversations.invite', { handler: conversationsInvite, tier: 3 }],
  ['conversations.info', { handler: conversationsInfo, tier: 3 }],
  ['conversations.members', { handler: conversationsMembers, tier: 4 }],
  ['conversations.open', { handler: conversationsOpen, tier: 3 }],
  ['conversations.archive', { handler: conversationsArchive, tier: 2 }],
  ['conversations.history', { handler: conversationsHistory, tier: 3 }],
  ['conversations.replies', { handler: conversationsReplies, tier: 3 }],
  ['chat.postMessage', { handler: chatPostMessage, tier: 'special' }],
  ['chat.update', { handler: chatUpdate, tier: 3 }],
  ['chat.postEphemeral', { handler: chatPostEphemeral, tier: 4 }],
  ['chat.getPermalink', { handler: chatGetPermalink, tier: 4 }],
  ['pins.add', { handler: pinsAdd, tier: 2 }],
  ['pins.remove', { handler: pinsRemove, tier: 2 }],
  ['views.open', { handler: viewsOpen, tier: 4 }],
  ['views.update', { handler: viewsUpdate, tier: 4 }],
  ['views.push', { handler: viewsPush, tier: 4 }],
  ['views.publish', { handler: viewsPublish, tier: 4 }],
  ['users.info', { handler: usersInfo, tier: 4 }],
  ['users.lookupByEmail', { handler: usersLookupByEmail, tier: 3 }],
  ['usergroups.users.list', { handler: usergroupsUsersList, tier: 2 }],
  ['usergroups.users.update', { handler: usergroupsUsersUpdate, tier: 2 }],
  ['usergroups.list', { handler: usergroupsList, tier: 2 }],
  ['files.getUploadURLExternal', { handler: filesGetUploadUrlExternal, tier: 4 }],
  ['files.completeUploadExternal', { handler: filesCompleteUploadExternal, tier: 4 }],
  ['admin.conversations.setTeams', { handler: adminConversationsSetTeams, tier: 2 }],
  // Answered by the server with the fake's OAuth app (see start.ts); listed for its tier and routing.
  ['oauth.v2.access', { handler: () => ({ ok: false, error: 'invalid_client_id' }), tier: 4 }],
  ['canvases.create', { handler: canvasesCreate, tier: 2 }],
  ['canvases.edit', { handler: canvasesEdit, tier: 3 }],
]);
