// The sandbox page's script: keeps the page live (server-sent events) and sends what the person
// does to the sandbox, which turns it into the signed request Slack would send the bot.
const as = document.body.dataset.as;
const at = document.body.dataset.at;

// Ephemerals live only in the client that received them, as in Slack: this tab's session
// starts when the tab opens the sandbox as this person, and again on every reload.
const sinceKey = `meridian-sandbox:since:${as}`;
const navigation = performance.getEntriesByType('navigation')[0];
if (navigation?.type === 'reload' || !sessionStorage.getItem(sinceKey)) sessionStorage.setItem(sinceKey, String(Date.now() / 1000));
const since = sessionStorage.getItem(sinceKey);

async function post(path, body) {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ as, at, ...body }),
  });
  if (!res.ok) console.warn('sandbox: request failed', path, res.status);
}

let refreshing = false;
let again = false;
async function refresh() {
  if (refreshing) {
    again = true;
    return;
  }
  refreshing = true;
  try {
    const res = await fetch(
      `/sandbox/fragments?as=${encodeURIComponent(as)}&at=${encodeURIComponent(at)}&since=${encodeURIComponent(since)}`,
    );
    if (!res.ok) return;
    const f = await res.json();
    document.getElementById('sidebar').innerHTML = f.sidebar;
    document.getElementById('clock').innerHTML = f.clock;
    const main = document.getElementById('main');
    const log = main.querySelector('.messages');
    const atBottom = !log || log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    main.innerHTML = f.main;
    const newLog = main.querySelector('.messages');
    if (newLog && atBottom) newLog.scrollTop = newLog.scrollHeight;
    const modal = document.getElementById('modal');
    if (modal.dataset.key !== f.modalKey) {
      modal.dataset.key = f.modalKey;
      modal.innerHTML = f.modal;
      focusModal();
    }
  } finally {
    refreshing = false;
    if (again) {
      again = false;
      refresh();
    }
  }
}

function focusModal() {
  const first = document.querySelector(
    '#modal .b-input.invalid input, #modal .b-input.invalid textarea, #modal input, #modal textarea, #modal select',
  );
  if (first) first.focus();
}

const events = new EventSource(`/sandbox/events?as=${encodeURIComponent(as)}`);
events.addEventListener('change', () => refresh());
// A change between the server rendering this page and the stream connecting (or while it
// reconnects) sends no event: redraw once it is open so nothing is missed.
events.addEventListener('open', () => {
  document.body.dataset.live = 'open';
  refresh();
});
events.addEventListener('error', () => {
  document.body.dataset.live = 'connecting';
});

document.getElementById('acting-as').addEventListener('change', (e) => {
  location.href = `/?as=${encodeURIComponent(e.target.value)}&at=${encodeURIComponent(at)}`;
});
document.getElementById('run-due').addEventListener('click', () => post('/sandbox/run-due', {}));

const composer = document.getElementById('composer');
if (composer) {
  const box = composer.querySelector('textarea');
  composer.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = box.value;
    if (text.trim() === '') return;
    box.value = '';
    post('/sandbox/message', { text });
  });
  box.addEventListener('keydown', (e) => {
    if (mentionKey(e)) return;
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      composer.requestSubmit();
    }
  });
  box.addEventListener('input', () => showMentions());
}

const smsComposer = document.getElementById('sms-composer');
if (smsComposer) {
  smsComposer.addEventListener('submit', (e) => {
    e.preventDefault();
    const box = smsComposer.querySelector('input');
    const text = box.value.trim();
    if (text === '') return;
    box.value = '';
    post('/sandbox/sms', { text });
  });
}

// ---- @ autocomplete: as in Slack, typing @ lists people; picking one writes @name, which Slack
// sends the app as a mention (<@U…|name>) ----

const people = JSON.parse(document.getElementById('people-data')?.textContent || '[]');
const mentions = document.getElementById('mentions');
let choices = [];
let chosen = 0;

/** The `@partial` just before the caret, if the person is typing a mention. */
function typedMention() {
  const box = composer?.querySelector('textarea');
  if (!box) return null;
  const before = box.value.slice(0, box.selectionStart);
  const match = /(^|\s)@([\w.-]*)$/.exec(before);
  return match ? { start: before.length - match[2].length - 1, partial: match[2].toLowerCase() } : null;
}

function showMentions() {
  const typed = typedMention();
  choices = typed
    ? people.filter((p) => p.name.toLowerCase().startsWith(typed.partial) || p.label.toLowerCase().includes(typed.partial)).slice(0, 8)
    : [];
  chosen = 0;
  renderMentions();
}

function renderMentions() {
  if (!mentions) return;
  mentions.hidden = choices.length === 0;
  mentions.innerHTML = '';
  choices.forEach((p, i) => {
    const li = document.createElement('li');
    li.setAttribute('role', 'option');
    li.setAttribute('aria-selected', String(i === chosen));
    li.dataset.mention = p.name;
    li.textContent = `${p.label} @${p.name}`;
    mentions.appendChild(li);
  });
}

function pickMention(name) {
  const box = composer.querySelector('textarea');
  const typed = typedMention();
  if (!typed) return;
  const after = box.value.slice(box.selectionStart);
  const head = `${box.value.slice(0, typed.start)}@${name} `;
  box.value = head + after;
  box.selectionStart = box.selectionEnd = head.length;
  choices = [];
  renderMentions();
  box.focus();
}

/** Arrow keys, Enter and Tab choose in the list while it is open; Escape closes it. */
function mentionKey(e) {
  if (!choices.length) return false;
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    chosen = (chosen + (e.key === 'ArrowDown' ? 1 : choices.length - 1)) % choices.length;
    renderMentions();
  } else if (e.key === 'Enter' || e.key === 'Tab') {
    pickMention(choices[chosen].name);
  } else if (e.key === 'Escape') {
    choices = [];
    renderMentions();
  } else {
    return false;
  }
  e.preventDefault();
  return true;
}

mentions?.addEventListener('mousedown', (e) => {
  const option = e.target instanceof Element ? e.target.closest('[data-mention]') : null;
  if (!option) return;
  e.preventDefault();
  pickMention(option.dataset.mention);
});

/** Where an element sits: a message (channel + ts) or a modal (view id) or the Home tab. */
function containerOf(el) {
  const view = el.closest('[data-view-id]');
  if (view) return { viewId: view.dataset.viewId };
  const home = el.closest('[data-home]');
  if (home) return { viewId: home.dataset.home };
  const msg = el.closest('[data-ts]');
  return msg ? { channelId: msg.dataset.channel, messageTs: msg.dataset.ts } : {};
}

function sendAction(el, value) {
  post('/sandbox/action', { ...containerOf(el), blockId: el.dataset.blockId, actionId: el.dataset.actionId, type: el.dataset.type, value });
}

document.addEventListener('click', (e) => {
  const target = e.target instanceof Element ? e.target : null;
  if (!target) return;
  const button = target.closest('button[data-action-id]');
  if (button) {
    if (button.dataset.confirm && !confirm(button.dataset.confirm)) return;
    sendAction(button, button.dataset.value ?? '');
    return;
  }
  const react = target.closest('button[data-react]');
  if (react) {
    const msg = react.closest('[data-ts]');
    post('/sandbox/react', { channelId: msg.dataset.channel, ts: msg.dataset.ts, name: react.dataset.react });
    return;
  }
  const pin = target.closest('button[data-pin]');
  if (pin) {
    const msg = pin.closest('[data-ts]');
    post('/sandbox/pin', { channelId: msg.dataset.channel, ts: msg.dataset.ts });
    return;
  }
  const join = target.closest('button[data-join]');
  if (join) {
    // A navigation, not a reload: joining keeps this client's ephemerals.
    post('/sandbox/join', { channelId: join.dataset.join }).then(() => {
      location.href = `/?as=${encodeURIComponent(as)}&at=${encodeURIComponent(at)}&joined=1`;
    });
    return;
  }
  const shortcut = target.closest('button[data-shortcut]');
  if (shortcut) {
    const msg = shortcut.closest('[data-ts]');
    shortcut.closest('details')?.removeAttribute('open');
    post('/sandbox/shortcut', { channelId: msg.dataset.channel, ts: msg.dataset.ts, callbackId: shortcut.dataset.shortcut });
    return;
  }
  // The person's phone: a quick reply to a page's text, or a key pressed on a call.
  const sms = target.closest('button[data-sms]');
  if (sms) {
    post('/sandbox/sms', { text: sms.dataset.sms });
    return;
  }
  const key = target.closest('button[data-digits]');
  if (key) {
    post('/sandbox/keypress', { callSid: key.dataset.call, digits: key.dataset.digits });
    return;
  }
  const close = target.closest('button[data-close]');
  if (close) post('/sandbox/view/close', { viewId: close.closest('[data-view-id]').dataset.viewId });
});

document.addEventListener('change', (e) => {
  const el = e.target;
  if (!(el instanceof HTMLElement) || el.closest('form.modal .b-input')) return;
  if (el.matches('select[data-action-id], input[type=date][data-action-id], input[type=time][data-action-id]')) {
    sendAction(el, el.value);
  } else if (el.matches('input[type=checkbox][data-action-id]')) {
    const group = el.closest('.choices');
    sendAction(
      el,
      [...group.querySelectorAll('input:checked')].map((i) => i.value),
    );
  } else if (el.matches('input[type=radio][data-action-id]')) {
    sendAction(el, el.value);
  }
});

document.addEventListener('submit', (e) => {
  const form = e.target;
  if (!(form instanceof HTMLFormElement) || !form.matches('form.modal')) return;
  e.preventDefault();
  const values = {};
  for (const [name, value] of new FormData(form)) {
    if (typeof value !== 'string') continue;
    if (!values[name]) values[name] = [];
    values[name].push(value);
  }
  for (const select of form.querySelectorAll('select[multiple]')) values[select.name] = [...select.selectedOptions].map((o) => o.value);
  post('/sandbox/view/submit', { viewId: form.dataset.viewId, values });
});

if (at === 'home') post('/sandbox/home', {});
const log = document.querySelector('.messages');
if (log) log.scrollTop = log.scrollHeight;
focusModal();
