import type { App } from '@slack/bolt';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { registerIncidentCommand } from './incident.js';
import { registerOncallCommand } from './oncall.js';

export function register(app: App, deps: SlackEdgeDeps): void {
  registerIncidentCommand(app, deps);
  registerOncallCommand(app, deps);
}
