/**
 * `npm run sandbox:reset`: forgets the sandbox (its Slack workspace and the bot's embedded
 * database and Redis under DATA_DIR/sandbox), so the next `npm start` seeds a fresh one.
 */
import { existsSync, rmSync } from 'node:fs';
import { sandboxDataDir } from './data-dir.js';

const dir = sandboxDataDir(process.env['DATA_DIR']);
if (existsSync(dir)) {
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`The sandbox is reset: removed ${dir}\n`);
} else {
  process.stdout.write(`Nothing to reset: ${dir} does not exist\n`);
}
