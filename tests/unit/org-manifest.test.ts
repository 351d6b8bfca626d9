import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { SHARE_CHANNEL_SCOPE } from '../../src/slack-api/org-token.js';

interface Manifest {
  oauth_config?: { scopes?: { bot?: string[]; user?: string[] }; redirect_urls?: string[] };
  settings?: { org_deploy_enabled?: boolean; event_subscriptions?: { bot_events?: string[] } };
}
const read = (file: string) => parseYaml(readFileSync(file, 'utf8')) as Manifest;

describe('the Enterprise Grid manifest (schema-checked with every manifest in slack-manifest.test.ts)', () => {
  it('when the two manifests are compared, then only the org one deploys org-wide, with the same bot scopes, the removal events and the admin scope that shares channels', () => {
    const single = read('manifests/slack-app.yaml');
    const org = read('manifests/slack-app.org.yaml');
    expect(single.settings?.org_deploy_enabled).toBe(false);
    expect(org.settings?.org_deploy_enabled).toBe(true);
    expect(org.oauth_config?.scopes?.bot).toEqual(single.oauth_config?.scopes?.bot);
    expect(org.oauth_config?.scopes?.user).toEqual([SHARE_CHANNEL_SCOPE]);
    expect(org.oauth_config?.redirect_urls).toEqual(['https://meridian.example.com/slack/oauth_redirect']);
    expect(org.settings?.event_subscriptions?.bot_events).toEqual([
      ...(single.settings?.event_subscriptions?.bot_events ?? []),
      'app_uninstalled',
      'tokens_revoked',
      'team_access_granted',
      'team_access_revoked',
    ]);
  });
});
