import type { App } from '@slack/bolt';
import type { SlackEdgeDeps } from '../../app.js';
import { registerDeclareView } from './declare.js';

export function register(app: App, deps: SlackEdgeDeps): void {
  registerDeclareView(app, deps);
}
