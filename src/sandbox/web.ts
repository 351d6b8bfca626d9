import { readFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { fragments, pageHtml, resolveViewpoint } from './page/page.js';
import type { Sandbox } from './sandbox.js';
import { sandboxHostNames, sandboxRequestRefusal } from './request-guard.js';

const ASSETS = {
  '/sandbox/app.js': { file: new URL('./page/assets/app.js', import.meta.url), type: 'text/javascript; charset=utf-8' },
  '/sandbox/app.css': { file: new URL('./page/assets/app.css', import.meta.url), type: 'text/css; charset=utf-8' },
} as const;

const FILE_TYPES: ReadonlyArray<[RegExp, string]> = [
  [/\.png$/i, 'image/png'],
  [/\.jpe?g$/i, 'image/jpeg'],
  [/\.svg$/i, 'image/svg+xml'],
  [/\.csv$/i, 'text/csv; charset=utf-8'],
  [/\.json$/i, 'application/json; charset=utf-8'],
];

const viewer = z.object({ as: z.string().min(1), at: z.string().min(1) });
const bodies = {
  message: viewer.extend({ text: z.string().min(1).max(40_000) }),
  action: viewer.extend({
    channelId: z.string().optional(),
    messageTs: z.string().optional(),
    viewId: z.string().optional(),
    blockId: z.string(),
    actionId: z.string(),
    type: z.string(),
    value: z.union([z.string(), z.array(z.string())]),
  }),
  submit: viewer.extend({ viewId: z.string(), values: z.record(z.string(), z.array(z.string())) }),
  close: viewer.extend({ viewId: z.string() }),
  react: viewer.extend({ channelId: z.string(), ts: z.string(), name: z.string().regex(/^[a-z0-9_+-]+$/) }),
  pin: viewer.extend({ channelId: z.string(), ts: z.string() }),
  join: viewer.extend({ channelId: z.string() }),
  shortcut: viewer.extend({ channelId: z.string(), ts: z.string(), callbackId: z.string() }),
  sms: viewer.extend({ text: z.string().trim().min(1).max(160) }),
  keypress: viewer.extend({ callSid: z.string().regex(/^CA[0-9a-f]{32}$/), digits: z.string().regex(/^[0-9*#]$/) }),
};

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1_000_000) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

/** Anything the sandbox does not serve is the bot's: /slack/events, /healthz, /metrics, /api/intake, /reviews. */
function proxy(botUrl: string | undefined, req: IncomingMessage, res: ServerResponse): void {
  if (botUrl === undefined) {
    send(res, 503, 'text/plain', 'Meridian is starting');
    return;
  }
  const target = new URL(req.url ?? '/', botUrl);
  const upstream = request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => {
    if (!res.headersSent) send(res, 502, 'text/plain', 'Meridian did not answer');
  });
  req.pipe(upstream);
}

/**
 * The sandbox's web page on PORT: the page, its live updates and the person's actions under
 * `/sandbox/`, the bot's own routes passed through. The bot never knows.
 */
/**
 * `host`: the interface to listen on; loopback unless SANDBOX_HOST shares the page (then the page
 * also answers to that name). Every request passes sandboxRequestRefusal first.
 */
export async function startSandboxWeb(
  sandbox: Sandbox,
  port: number,
  host = '127.0.0.1',
): Promise<{ port: number; server: Server; close(): Promise<void> }> {
  const hostNames = sandboxHostNames(host);
  const streams = new Set<ServerResponse>();
  let pending: NodeJS.Timeout | undefined;
  sandbox.subscribe(() => {
    // Many calls arrive together (a declaration is a dozen); one redraw for them all.
    pending ??= setTimeout(() => {
      pending = undefined;
      for (const stream of streams) stream.write('event: change\ndata: {}\n\n');
    }, 60);
  });

  const routes: Record<string, (body: unknown) => Promise<void>> = {
    '/sandbox/message': async (b) => {
      const m = bodies.message.parse(b);
      await sandbox.compose(m.as, m.at, m.text);
    },
    '/sandbox/action': async (b) => {
      const a = bodies.action.parse(b);
      await sandbox.blockAction(a.as, {
        blockId: a.blockId,
        actionId: a.actionId,
        type: a.type,
        value: a.value,
        ...(a.channelId === undefined ? {} : { channelId: a.channelId }),
        ...(a.messageTs === undefined ? {} : { messageTs: a.messageTs }),
        ...(a.viewId ? { viewId: a.viewId } : {}),
      });
    },
    '/sandbox/view/submit': async (b) => {
      const s = bodies.submit.parse(b);
      await sandbox.submitView(s.as, s.viewId, s.values);
    },
    '/sandbox/view/close': async (b) => {
      const c = bodies.close.parse(b);
      await sandbox.closeView(c.as, c.viewId);
    },
    '/sandbox/react': async (b) => {
      const r = bodies.react.parse(b);
      await sandbox.react(r.as, r.channelId, r.ts, r.name);
    },
    '/sandbox/pin': async (b) => {
      const p = bodies.pin.parse(b);
      await sandbox.pin(p.as, p.channelId, p.ts);
    },
    '/sandbox/join': async (b) => {
      const j = bodies.join.parse(b);
      await sandbox.join(j.as, j.channelId);
    },
    '/sandbox/shortcut': async (b) => {
      const m = bodies.shortcut.parse(b);
      await sandbox.messageShortcut(m.as, m.channelId, m.ts, m.callbackId);
    },
    '/sandbox/sms': async (b) => {
      const m = bodies.sms.parse(b);
      await sandbox.textMeridian(m.as, m.text);
    },
    '/sandbox/keypress': async (b) => {
      const k = bodies.keypress.parse(b);
      await sandbox.pressKey(k.as, k.callSid, k.digits);
    },
    '/sandbox/home': async (b) => {
      const v = viewer.parse(b);
      await sandbox.openHome(v.as);
    },
    '/sandbox/run-due': async (b) => {
      const v = viewer.parse(b);
      await sandbox.runDueNow(v.as, v.at === 'home' ? sandbox.state.dmWith([v.as]).id : v.at);
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const path = url.pathname;
    const refused = sandboxRequestRefusal({ method: req.method, path, headers: req.headers }, hostNames);
    if (refused) return send(res, refused.status, 'text/plain; charset=utf-8', refused.text);
    if (req.method === 'GET' && path === '/') {
      const v = resolveViewpoint(sandbox, url.searchParams.get('as'), url.searchParams.get('at'));
      return send(res, 200, 'text/html; charset=utf-8', pageHtml(sandbox, v, await sandbox.dueActions?.next()));
    }
    if (req.method === 'GET' && path === '/sandbox/fragments') {
      const v = resolveViewpoint(sandbox, url.searchParams.get('as'), url.searchParams.get('at'));
      // Ephemerals live in the client that saw them: the page says since when (a reload starts afresh).
      const since = Number(url.searchParams.get('since') ?? 'NaN');
      const f = fragments(sandbox, v, await sandbox.dueActions?.next(), Number.isFinite(since) ? since : Number.POSITIVE_INFINITY);
      return send(res, 200, 'application/json', JSON.stringify(f));
    }
    if (req.method === 'GET' && path === '/sandbox/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write('retry: 1000\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (req.method === 'GET' && path in ASSETS) {
      const asset = ASSETS[path as keyof typeof ASSETS];
      return send(res, 200, asset.type, readFileSync(asset.file));
    }
    if (req.method === 'GET' && path.startsWith('/sandbox/files/')) {
      const file = sandbox.state.files.get(decodeURIComponent(path.slice('/sandbox/files/'.length)));
      // As in Slack, a file is for the members of a conversation it was shared in; anyone else gets no file.
      const viewer = url.searchParams.get('as') ?? '';
      const shared = file?.channelId !== undefined && sandbox.canSee(viewer, file.channelId);
      if (!file?.content || !shared) return send(res, 404, 'text/plain', 'No such file');
      const type = FILE_TYPES.find(([re]) => re.test(file.filename))?.[1] ?? 'text/plain; charset=utf-8';
      return send(res, 200, type, file.content);
    }
    if (req.method === 'GET' && path.startsWith('/sandbox/canvases/')) {
      const canvas = sandbox.state.canvases.get(decodeURIComponent(path.slice('/sandbox/canvases/'.length)));
      // A channel's canvas is for those who can see the channel; anyone else gets nothing.
      const viewer = url.searchParams.get('as') ?? '';
      const shown = canvas?.channelId !== undefined && sandbox.canSee(viewer, canvas.channelId);
      if (!canvas || !shown) return send(res, 404, 'text/plain', 'No such canvas');
      return send(res, 200, 'text/markdown; charset=utf-8', canvas.markdown);
    }
    const route = req.method === 'POST' ? routes[path] : undefined;
    if (route) {
      await route(await readJson(req));
      return send(res, 200, 'application/json', '{"ok":true}');
    }
    return proxy(sandbox.bot.url, req, res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const status = err instanceof z.ZodError || err instanceof SyntaxError ? 400 : 500;
      if (status === 500) console.error('sandbox: request failed', err);
      if (!res.headersSent) send(res, status, 'text/plain', status === 400 ? 'Bad request' : 'The sandbox failed; see its log');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const actual = (server.address() as AddressInfo).port;
  // The bot's response_url calls come here: to the name the page answers to.
  const reachable = host === '0.0.0.0' || host === '::' || host === '::1' ? '127.0.0.1' : host;
  sandbox.publicUrl = `http://${reachable}:${actual}`;
  return {
    port: actual,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        if (pending) clearTimeout(pending);
        for (const stream of streams) stream.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
