import type { App } from '@slack/bolt';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { registerClockRespondView } from './clock-respond.js';
import { registerDeclareView } from './declare.js';
import { registerOncallOverrideView } from './oncall-override.js';
import { registerIncidentModalViews } from './incident-modals.js';
import { registerTriageViews } from './triage.js';
import { registerOncallMeView } from './oncall-me.js';
import { registerArt18View, registerNcmecView, registerOrderView } from './order.js';
import { registerRedactView } from './redact.js';

export function register(app: App, deps: SlackEdgeDeps): void {
  registerDeclareView(app, deps);
  registerClockRespondView(app, deps);
  registerOncallOverrideView(app, deps);
  registerIncidentModalViews(app, deps);
  registerTriageViews(app, deps);
  registerOncallMeView(app, deps);
  registerOrderView(app, deps);
  registerNcmecView(app, deps);
  registerRedactView(app, deps);
  registerArt18View(app, deps);
}
