import type { App } from '@slack/bolt';
import type { SlackEdgeDeps } from '../../app.js';
import { registerDeclareView } from './declare.js';
import { registerOncallOverrideView } from './oncall-override.js';

export function register(app: App, deps: SlackEdgeDeps): void {
  registerDeclareView(app, deps);
  registerOncallOverrideView(app, deps);
}
