import type { App } from '@slack/bolt';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { registerCardActions } from './card.js';
import { registerClockActions } from './clock.js';
import { registerOverrideActions } from './override.js';
import { registerPageActions } from './page.js';
import { registerRunbookActions } from './runbook.js';
import { registerTriageActions } from './triage.js';
import { registerWellbeingActions } from './wellbeing.js';
import { registerOrderActions } from './order.js';
import { registerOncallMeActions } from './oncall-me.js';

export function register(app: App, deps: SlackEdgeDeps): void {
  registerPageActions(app, deps);
  registerCardActions(app, deps);
  registerClockActions(app, deps);
  registerTriageActions(app, deps);
  registerOverrideActions(app, deps);
  registerRunbookActions(app, deps);
  registerWellbeingActions(app, deps);
  registerOrderActions(app, deps);
  registerOncallMeActions(app, deps);
}
