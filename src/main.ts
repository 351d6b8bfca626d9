import { existsSync } from 'node:fs';
import { type Config, ConfigError, loadConfig, placeholderNotes, sandboxRefusal, wantsSandbox } from './config.js';
import { defaultMeridianConfig, loadMeridianConfig } from './config-file/load.js';
import { createLogger } from './log.js';
import { prepareSandbox, type SandboxedStart } from './run-sandbox.js';
import { startMeridian } from './runtime.js';
import { ConfigWouldEmpty } from './services/sync-config.js';

/**
 * Entry point: read the environment and the config file once, start, stop cleanly on SIGTERM.
 * `--worker` (`npm run worker`) runs the action workers and the reconciler without the Slack edge.
 */
async function main(): Promise<void> {
  // `cp .env.example .env` is the whole set-up; variables already set win over the file.
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config: Config;
  let sandbox: SandboxedStart | undefined;
  try {
    // The sandbox is a whole workspace with its bot; a worker alone never starts one.
    if (wantsSandbox(process.env) && !process.argv.includes('--worker')) {
      const refusal = sandboxRefusal(process.env);
      if (refusal) throw new ConfigError([refusal]);
      for (const note of placeholderNotes(process.env)) process.stdout.write(`${note}\n`);
      sandbox = await prepareSandbox(process.env);
    }
    config = sandbox?.config ?? loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every variable.\n`);
      process.exit(78);
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  let meridian = defaultMeridianConfig();
  const configFile = sandbox ? sandbox.meridianConfig : config.MERIDIAN_CONFIG;
  if (configFile) {
    const loaded = await loadMeridianConfig(configFile);
    if (!loaded.ok) {
      process.stderr.write(`${configFile} is not valid; nothing was changed:\n${loaded.errors.map((e) => `  - ${e}`).join('\n')}\n`);
      process.exit(78);
    }
    meridian = loaded.config;
  }
  const role = process.argv.includes('--worker') ? 'worker' : 'all';
  // One role syncs the config into the shared database, and only from a file: a worker, or a
  // process started without MERIDIAN_CONFIG, must not wipe the schedules another one synced.
  const syncConfig =
    role === 'worker'
      ? { skip: 'a worker never syncs the config; the bot (npm start) does' }
      : configFile
        ? { allowEmpty: config.MERIDIAN_CONFIG_ALLOW_EMPTY === 'yes' }
        : { skip: 'MERIDIAN_CONFIG is unset (built-in severities and categories only)' };
  let runtime: Awaited<ReturnType<typeof startMeridian>>;
  try {
    runtime = await startMeridian(config, { logger, meridian, role, syncConfig });
  } catch (err) {
    if (err instanceof ConfigWouldEmpty) {
      logger.error({ removes: err.removes }, 'config NOT synced: it would remove every schedule or policy');
      process.stderr.write(`${configFile}: ${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  const page = await sandbox?.attach(runtime, logger);
  if (page) {
    process.stdout.write(
      `No Slack credentials: the sandbox is at ${page.url} (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to connect to Slack)\n`,
    );
  }
  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down: draining in-flight work');
    await page?.close();
    await runtime.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Meridian could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
