import type { Catalog } from '../../blocks/catalog.js';
import type { MeridianConfig } from '../../config-file/types.js';
import type { Database } from '../../db/client.js';
import type { Logger } from '../../log.js';
import type { Metrics } from '../../metrics.js';
import type { MailGateway } from '../../notify-api/mail.js';
import type { TwilioGateway } from '../../notify-api/twilio.js';
import type { Clock } from '../types.js';

/** What paging beyond Slack needs: the providers (each unset when not configured) and where people reach us back. */
export interface PagingDeps {
  db: Database;
  twilio: TwilioGateway | undefined;
  mail: MailGateway | undefined;
  catalog: Catalog;
  meridian: Pick<MeridianConfig, 'notificationRules' | 'contacts'>;
  /** PUBLIC_URL, or this process's own address: Twilio's <Gather> and email links point here. */
  publicUrl(): string;
  /** Signs email acknowledge links. */
  linkSecret: string;
  metrics: Pick<Metrics, 'notifications'>;
  logger: Logger;
  clock: Clock;
}
