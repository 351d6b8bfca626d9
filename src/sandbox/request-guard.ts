/**
 * Who may drive the sandbox's page. It acts as any workspace member (`?as=`), so it answers only
 * on the names it is served under (no DNS rebinding: `Host: attacker.example` is refused), and its
 * own POST routes take only same-origin JSON: a page on another origin can send a `no-cors` POST,
 * but not with `content-type: application/json` (that needs a CORS preflight we never grant) and
 * not without its own `Origin`. Pure: the request's headers in, a refusal or nothing out.
 */

/** The names the page is served under: loopback always, and SANDBOX_HOST when it is shared. */
export function sandboxHostNames(sharedHost: string | undefined): ReadonlySet<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
  if (sharedHost && sharedHost !== '0.0.0.0' && sharedHost !== '::') names.add(sharedHost.toLowerCase());
  return names;
}

/** `Host` without its port (`[::1]:3000` -> `[::1]`). */
function hostNameOf(host: string): string {
  const value = host.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(0, value.indexOf(']') + 1);
  return value.split(':')[0] ?? '';
}

export interface GuardedRequest {
  method: string | undefined;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** Why the request is refused (status and text), or undefined when it may go on. */
export function sandboxRequestRefusal(req: GuardedRequest, hostNames: ReadonlySet<string>): { status: number; text: string } | undefined {
  const host = first(req.headers.host);
  if (!host || !hostNames.has(hostNameOf(host))) return { status: 421, text: 'Unknown host: open the sandbox at the address it printed.' };
  if (req.method !== 'POST' || !req.path.startsWith('/sandbox/')) return undefined;
  const type = (first(req.headers['content-type']) ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') return { status: 415, text: 'The sandbox takes JSON only.' };
  const origin = first(req.headers.origin);
  // The bot's response_url calls come from its own process, without an Origin; a browser always sends one.
  if (origin !== undefined && origin !== `http://${host}`) return { status: 403, text: 'Cross-origin requests are refused.' };
  const site = first(req.headers['sec-fetch-site']);
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return { status: 403, text: 'Cross-site requests are refused.' };
  return undefined;
}
