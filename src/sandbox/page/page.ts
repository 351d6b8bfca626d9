import type { DueAction, Sandbox } from '../sandbox.js';
import { BOT_USER_ID } from '../slack/state.js';
import type { FakeChannel, FakeMessage } from '../slack/types.js';
import { SANDBOX_PEOPLE } from '../workspace.js';
import { MESSAGE_SHORTCUTS } from '../shortcuts.js';
import { type BlockContext, blocksHtml, plainOf } from './blocks.js';
import { esc } from './html.js';
import { deviceLinks, devicePane, isDevicePane, smsComposer } from './devices.js';
import { emoji, mrkdwnHtml } from './mrkdwn.js';
import { messageTime, shortDateTime } from './zone-time.js';

/** Who is looking at what: a person, and a conversation id or `home` (the app's Home tab). */
export interface Viewpoint {
  as: string;
  at: string;
}

/** The parts of the page the script swaps when the workspace changes. */
export interface Fragments {
  sidebar: string;
  main: string;
  clock: string;
  modal: string;
  /** Changes only when the open modal does, so typing in it is never wiped by a redraw. */
  modalKey: string;
}

const IMAGE_FILE = /\.(png|jpe?g|gif|svg)$/i;

export function href(v: Viewpoint): string {
  return `/?as=${encodeURIComponent(v.as)}&at=${encodeURIComponent(v.at)}`;
}

/** The viewpoint asked for, corrected to one this person may have (their own channels, a real person). */
export function resolveViewpoint(sandbox: Sandbox, as: string | null, at: string | null): Viewpoint {
  const person = as && SANDBOX_PEOPLE.some((p) => p.id === as) ? as : (SANDBOX_PEOPLE[0]?.id ?? '');
  if (at === 'home' || isDevicePane(at) || (at && sandbox.canPreview(person, at))) return { as: person, at };
  return { as: person, at: sandbox.state.channelByName('general')?.id ?? sandbox.channels.feedChannelId };
}

function blockContext(sandbox: Sandbox, v: Viewpoint, idPrefix: string, errors?: Record<string, string>): BlockContext {
  const tz = sandbox.person(v.as)?.tz ?? 'UTC';
  return {
    tz,
    now: new Date(),
    idPrefix,
    ...(errors ? { errors } : {}),
    userName: (id) => sandbox.person(id)?.realName,
    channelName: (id) => {
      const c = sandbox.state.channels.get(id);
      return c && !c.isIm && sandbox.canPreview(v.as, id) ? c.name : c ? 'private-channel' : undefined;
    },
    channelHref: (id) => href({ as: v.as, at: id }),
    people: SANDBOX_PEOPLE.map((p) => ({ id: p.id, name: p.realName ?? p.name })),
    channels: sandbox
      .visibleChannels(v.as)
      .filter((c) => !c.isIm)
      .map((c) => ({ id: c.id, name: c.name })),
  };
}

function channelLabel(channel: FakeChannel): string {
  if (channel.isIm) return channel.imUser === undefined ? 'Direct message' : 'Meridian';
  return `#${channel.name}`;
}

function sidebarHtml(sandbox: Sandbox, v: Viewpoint): string {
  const channels = sandbox.visibleChannels(v.as);
  const link = (c: FakeChannel) => {
    const unread = c.id !== v.at && sandbox.unread(v.as, c);
    const current = c.id === v.at ? ' aria-current="page"' : '';
    const lock = c.isPrivate && !c.isIm ? '<span class="lock" aria-hidden="true">🔒</span>' : '';
    return `<li class="${unread ? 'unread' : ''}">${lock}<a href="${esc(href({ as: v.as, at: c.id }))}"${current}>${esc(channelLabel(c))}</a>${unread ? '<span class="dot" title="unread">●</span>' : ''}</li>`;
  };
  const rooms = channels.filter((c) => !c.isIm).sort((a, b) => a.name.localeCompare(b.name));
  const dms = channels.filter((c) => c.isIm);
  const home = `<li><a href="${esc(href({ as: v.as, at: 'home' }))}"${v.at === 'home' ? ' aria-current="page"' : ''}>Meridian Home</a></li>`;
  // Public channels this person has not joined: not in the sidebar, as in Slack, but one browse away.
  const others = sandbox.browsableChannels(v.as).sort((a, b) => a.name.localeCompare(b.name));
  const browse = others.length
    ? `<h2 class="browse">Browse channels</h2><ul aria-label="Channels you can join">${others
        .map(
          (c) =>
            `<li><a href="${esc(href({ as: v.as, at: c.id }))}"${c.id === v.at ? ' aria-current="page"' : ''}>${esc(channelLabel(c))}</a></li>`,
        )
        .join('')}</ul>`
    : '';
  const devices = deviceLinks(sandbox, v.at, (at) => href({ as: v.as, at }));
  return `<h2>Channels</h2><ul>${rooms.map(link).join('')}</ul>${browse}<h2>Apps</h2><ul>${home}${dms.map(link).join('')}</ul>${devices}`;
}

function authorOf(sandbox: Sandbox, user: string): string {
  if (user === BOT_USER_ID) return 'Meridian';
  return sandbox.person(user)?.realName ?? user;
}

function filesHtml(sandbox: Sandbox, v: Viewpoint, message: FakeMessage): string {
  if (!message.files?.length) return '';
  return `<div class="files">${message.files
    .map((id) => {
      const file = sandbox.state.files.get(id);
      if (!file) return '';
      const url = `/sandbox/files/${encodeURIComponent(id)}?as=${encodeURIComponent(v.as)}`;
      const link = `<a class="file" href="${url}" target="_blank">📄 ${esc(file.title || file.filename)}</a>`;
      return IMAGE_FILE.test(file.filename)
        ? `<figure class="file-image"><img src="${url}" alt="${esc(file.title)}">${link}</figure>`
        : link;
    })
    .join('')}</div>`;
}

/** The channel's canvases (a review is one), as Slack shows them in the channel header: to those who can see the channel. */
function canvasTabs(sandbox: Sandbox, v: Viewpoint, channel: FakeChannel): string {
  if (!sandbox.canSee(v.as, channel.id)) return '';
  const tabs = [...sandbox.state.canvases.values()]
    .filter((c) => c.channelId === channel.id)
    .map(
      (c) =>
        `<a class="canvas-tab" href="/sandbox/canvases/${encodeURIComponent(c.id)}?as=${encodeURIComponent(v.as)}" target="_blank">🗒️ ${esc(c.title)}</a>`,
    );
  return tabs.length ? `<span class="canvases">${tabs.join('')}</span>` : '';
}

function messageHtml(sandbox: Sandbox, v: Viewpoint, channel: FakeChannel, message: FakeMessage): string {
  const ctx = blockContext(sandbox, v, `m${message.ts.replace('.', '')}`);
  const body = message.blocks?.length ? blocksHtml(message.blocks, ctx) : `<div class="b-text">${mrkdwnHtml(message.text, ctx)}</div>`;
  const pinned = channel.pins.has(message.ts) ? '<span class="pinned">📌 Pinned</span>' : '';
  const edited = message.edited ? '<span class="edited">(edited)</span>' : '';
  const thread = message.threadTs !== undefined && message.threadTs !== message.ts ? '<span class="thread">in thread</span>' : '';
  const reactions = (message.reactions ?? [])
    .map(
      (r) =>
        `<span class="reaction" title="${esc(r.users.map((u) => authorOf(sandbox, u)).join(', '))}">${emoji(r.name)} ${r.users.length}</span>`,
    )
    .join('');
  const author = authorOf(sandbox, message.user);
  const at = new Date(Number(message.ts) * 1000);
  return `<article class="msg${message.user === BOT_USER_ID ? ' bot' : ''}" data-channel="${esc(channel.id)}" data-ts="${esc(message.ts)}" aria-label="${esc(`${author} at ${messageTime(at, ctx.tz, ctx.now)}`)}">
<header><strong>${esc(author)}</strong>${message.user === BOT_USER_ID ? '<span class="app">APP</span>' : ''} <time datetime="${at.toISOString()}">${esc(messageTime(at, ctx.tz, ctx.now))}</time> ${edited} ${pinned} ${thread}</header>
<div class="body">${body}</div>${filesHtml(sandbox, v, message)}
<footer>${reactions}${sandbox.canSee(v.as, channel.id) ? messageTools(channel, message) : ''}</footer></article>`;
}

/** React, pin, and the message menu with the app's message shortcuts (for members only, as in Slack). */
function messageTools(channel: FakeChannel, message: FakeMessage): string {
  const pin = channel.pins.has(message.ts) ? '' : '<button type="button" class="tool" data-pin aria-label="Pin message">Pin</button>';
  const shortcuts = MESSAGE_SHORTCUTS.map(
    (s) => `<button type="button" role="menuitem" class="tool" data-shortcut="${esc(s.callbackId)}">${esc(s.name)}</button>`,
  ).join('');
  const menu = `<details class="msg-menu"><summary class="tool" aria-label="More actions">⋯</summary><div role="menu" aria-label="Message actions">${shortcuts}</div></details>`;
  return `<span class="msg-tools"><button type="button" class="tool" data-react="pushpin" aria-label="React with :pushpin:">📌 +</button>${pin}${menu}</span>`;
}

function ephemeralHtml(
  sandbox: Sandbox,
  v: Viewpoint,
  item: { ts: string; text: string; blocks: unknown[] | undefined; from: string },
): string {
  const ctx = blockContext(sandbox, v, `e${item.ts.replace('.', '')}`);
  const body = item.blocks?.length ? blocksHtml(item.blocks, ctx) : `<div class="b-text">${mrkdwnHtml(item.text, ctx)}</div>`;
  const at = new Date(Number(item.ts) * 1000);
  return `<article class="msg ephemeral" data-channel="${esc(v.at)}" data-ts="${esc(item.ts)}" data-ephemeral aria-label="${esc(`${item.from} (only visible to you)`)}">
<header><strong>${esc(item.from)}</strong> <time>${esc(messageTime(at, ctx.tz, ctx.now))}</time> <span class="only-you">Only visible to you</span></header><div class="body">${body}</div></article>`;
}

function channelPane(sandbox: Sandbox, v: Viewpoint, channel: FakeChannel, since: number): string {
  const items: Array<{ ts: string; html: string }> = channel.messages.map((m) => ({ ts: m.ts, html: messageHtml(sandbox, v, channel, m) }));
  for (const e of sandbox.state.ephemerals) {
    if (e.channel === channel.id && e.user === v.as && Number(e.messageTs) >= since)
      items.push({
        ts: e.messageTs,
        html: ephemeralHtml(sandbox, v, { ts: e.messageTs, text: e.text, blocks: e.blocks, from: 'Meridian' }),
      });
  }
  for (const n of sandbox.notices) {
    if (n.channel === channel.id && n.user === v.as && Number(n.ts) >= since)
      items.push({ ts: n.ts, html: ephemeralHtml(sandbox, v, { ts: n.ts, text: n.text, blocks: undefined, from: 'Slackbot' }) });
  }
  items.sort((a, b) => Number(a.ts) - Number(b.ts));
  const topic = channel.topic ? `<p class="topic">${mrkdwnHtml(channel.topic, blockContext(sandbox, v, 'topic'))}</p>` : '';
  const members = channel.isIm ? '' : `<span class="members">${channel.members.size} members</span>`;
  return `<div class="pane-head"><h1>${esc(channelLabel(channel))}</h1>${members}${canvasTabs(sandbox, v, channel)}${topic}</div><div class="messages" role="log" aria-label="Messages">${items.map((i) => i.html).join('') || '<p class="empty">No messages yet.</p>'}</div>`;
}

function homePane(sandbox: Sandbox, v: Viewpoint): string {
  const home = sandbox.homeView(v.as);
  const body = home ? blocksHtml(home.view['blocks'], blockContext(sandbox, v, 'home')) : '<p class="empty">Opening Meridian Home…</p>';
  return `<div class="pane-head"><h1>Meridian Home</h1></div><div class="home" data-home="${esc(home?.id ?? '')}">${body}</div>`;
}

function modalHtml(sandbox: Sandbox, v: Viewpoint): { html: string; key: string } {
  const viewId = sandbox.modals.get(v.as)?.at(-1);
  const stored = viewId ? sandbox.state.views.get(viewId) : undefined;
  if (!viewId || !stored) return { html: '', key: '' };
  const errors = sandbox.viewErrors.get(viewId);
  const view = stored.view;
  const ctx = blockContext(sandbox, v, viewId, errors);
  const title = plainOf(view['title']);
  const submit = view['submit'] ? `<button type="submit" class="btn primary">${esc(plainOf(view['submit']))}</button>` : '';
  const close = `<button type="button" class="btn" data-close>${esc(plainOf(view['close']) || (view['submit'] ? 'Cancel' : 'Close'))}</button>`;
  const html = `<div class="backdrop"><form class="modal" role="dialog" aria-modal="true" aria-labelledby="modal-title" data-view-id="${esc(viewId)}" novalidate>
<h2 id="modal-title">${esc(title)}</h2><div class="modal-body">${blocksHtml(view['blocks'], ctx)}</div><div class="modal-foot">${close}${submit}</div></form></div>`;
  return { html, key: `${viewId}:${stored.hash}:${JSON.stringify(errors ?? {})}` };
}

function clockHtml(sandbox: Sandbox, v: Viewpoint, due: DueAction | undefined): string {
  const person = sandbox.person(v.as);
  const tz = person?.tz ?? 'UTC';
  const now = new Date();
  const next = due ? `Next: <strong>${esc(due.kind)}</strong> at ${esc(shortDateTime(due.dueAt, tz))}` : 'Nothing scheduled';
  return `<span class="now" title="The sandbox runs on real time">🕒 ${esc(shortDateTime(now, tz))} <span class="zone">${esc(tz)}</span></span> <span class="next">${next}</span>`;
}

/**
 * The live parts of the page. `since` (epoch seconds): the ephemerals and Slack's notes shown
 * are those from then on, the page's client session; a reload starts a new one, and they are
 * gone, as in Slack. The first render shows none until the page says when its session began.
 */
export function fragments(sandbox: Sandbox, v: Viewpoint, due: DueAction | undefined, since = Number.POSITIVE_INFINITY): Fragments {
  const channel = v.at === 'home' || isDevicePane(v.at) ? undefined : sandbox.state.channels.get(v.at);
  const member = channel !== undefined && sandbox.canSee(v.as, channel.id);
  if (channel && member) sandbox.markRead(v.as, channel);
  const modal = modalHtml(sandbox, v);
  const main = channel
    ? channelPane(sandbox, v, channel, since)
    : isDevicePane(v.at)
      ? devicePane(sandbox, v.as, v.at)
      : homePane(sandbox, v);
  return {
    sidebar: sidebarHtml(sandbox, v),
    main,
    clock: clockHtml(sandbox, v, due),
    modal: modal.html,
    modalKey: modal.key,
  };
}

/** The whole page, server-rendered; `/sandbox/app.js` keeps it live and sends what people do. */
export function pageHtml(sandbox: Sandbox, v: Viewpoint, due: DueAction | undefined): string {
  const f = fragments(sandbox, v, due);
  const channel = sandbox.state.channels.get(v.at);
  // An org sandbox (SANDBOX_ORG=1) says which workspace each person is in.
  const workspaceOf = (id: string) => {
    const team = sandbox.org ? sandbox.state.teams.get(sandbox.state.users.get(id)?.teamId ?? '') : undefined;
    return team === undefined ? '' : `, ${team.name} workspace`;
  };
  const people = SANDBOX_PEOPLE.map(
    (p) =>
      `<option value="${esc(p.id)}"${p.id === v.as ? ' selected' : ''}>${esc(`${p.realName ?? p.name} (${p.role}${workspaceOf(p.id)})`)}</option>`,
  ).join('');
  const placeholder = channel ? `Message ${channelLabel(channel)} (try /incident, @ to mention)` : '';
  // A public channel the person has not joined: Slack shows it with *Join channel* instead of the message box.
  const composer = !channel
    ? v.at === 'phone'
      ? smsComposer(sandbox)
      : ''
    : sandbox.canSee(v.as, channel.id)
      ? `<form id="composer" class="composer"><textarea name="text" aria-label="Message" placeholder="${esc(placeholder)}" rows="2" aria-autocomplete="list" aria-controls="mentions"></textarea><button type="submit" class="btn primary">Send</button><ul id="mentions" class="mentions" role="listbox" aria-label="People" hidden></ul></form>`
      : `<div class="join-bar"><p>You are viewing <strong>${esc(channelLabel(channel))}</strong>.</p><button type="button" class="btn primary" data-join="${esc(channel.id)}">Join channel</button></div>`;
  const mentionable = JSON.stringify(SANDBOX_PEOPLE.map((p) => ({ name: p.name, label: p.realName ?? p.name }))).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Meridian sandbox</title><link rel="stylesheet" href="/sandbox/app.css"></head>
<body data-as="${esc(v.as)}" data-at="${esc(v.at)}">
<header class="top"><span class="brand">Meridian <span>sandbox</span></span>
<label class="acting">Acting as <select id="acting-as">${people}</select></label>
<div id="clock" class="clock">${f.clock}</div><button type="button" id="run-due" class="btn">Run due now</button></header>
<div class="layout"><nav id="sidebar" class="sidebar" aria-label="Conversations">${f.sidebar}</nav>
<main class="pane"><div id="main">${f.main}</div>${composer}</main></div>
<div id="modal" data-key="${esc(f.modalKey)}">${f.modal}</div>
<script type="application/json" id="people-data">${mentionable}</script>
<script src="/sandbox/app.js" type="module"></script></body></html>`;
}
