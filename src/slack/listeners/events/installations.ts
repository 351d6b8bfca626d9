import type { App } from '@slack/bolt';
import type { SlackEdgeDeps } from '../../edge-deps.js';

interface Envelope {
  team_id?: string | null;
  enterprise_id?: string | null;
  is_ext_shared_channel?: boolean;
  authorizations?: Array<{ team_id?: string | null; enterprise_id?: string | null; is_enterprise_install?: boolean }>;
}

const ids = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const orUndefined = (value: string | null | undefined) => value ?? undefined;

/**
 * The events that end (or restore) the app's reach, registered with OAuth installs only:
 * `team_access_revoked` / `team_access_granted` (an org admin removed / added the app for some
 * workspaces), `app_uninstalled` and `tokens_revoked` (the whole install goes). Bolt acks them
 * before these run (and, for the last two, does not need a token to).
 */
export function registerInstallationEvents(app: App, deps: SlackEdgeDeps): void {
  const installations = deps.services.installations;
  if (installations === undefined) return;
  const fail = (type: string) => (err: unknown) => deps.logger.error({ err, eventType: type }, 'installation event not handled');
  app.event('team_access_revoked', async ({ event, body }) => {
    const envelope = body as Envelope;
    await installations
      .workspacesRevoked(ids((event as { team_ids?: unknown }).team_ids), orUndefined(envelope.enterprise_id))
      .catch(fail(event.type));
  });
  app.event('team_access_granted', async ({ event, body }) => {
    const envelope = body as Envelope;
    await installations
      .workspacesGranted(ids((event as { team_ids?: unknown }).team_ids), orUndefined(envelope.enterprise_id))
      .catch(fail(event.type));
  });
  app.event('app_uninstalled', async ({ body }) => {
    const envelope = body as Envelope;
    const isEnterpriseInstall = envelope.authorizations?.[0]?.is_enterprise_install === true;
    await installations
      .uninstalled({ teamId: orUndefined(envelope.team_id), enterpriseId: orUndefined(envelope.enterprise_id), isEnterpriseInstall })
      .catch(fail('app_uninstalled'));
  });
  app.event('tokens_revoked', async ({ event, body }) => {
    const envelope = body as Envelope;
    const bots = ids((event as { tokens?: { bot?: unknown } }).tokens?.bot);
    await installations
      .tokensRevoked(bots, { teamId: orUndefined(envelope.team_id), enterpriseId: orUndefined(envelope.enterprise_id) })
      .catch(fail('tokens_revoked'));
  });
}
