import { type Config, ConfigError, loadConfig } from './config.js';
import { defaultMeridianConfig, loadMeridianConfig } from './config-file/load.js';
import { createLogger } from './log.js';
import { startMeridian } from './runtime.js';

/**
 * Entry point: read the environment and the config file once, start, stop cleanly on SIGTERM.
 * `--worker` (`npm run worker`) runs the action workers and the reconciler without the Slack edge.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every variable.\n`);
      process.exit(78);
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  let meridian = defaultMeridianConfig();
  if (config.MERIDIAN_CONFIG) {
    const loaded = await loadMeridianConfig(config.MERIDIAN_CONFIG);
    if (!loaded.ok) {
      process.stderr.write(
        `${config.MERIDIAN_CONFIG} is not valid; nothing was changed:\n${loaded.errors.map((e) => `  - ${e}`).join('\n')}\n`,
      );
      process.exit(78);
    }
    meridian = loaded.config;
  }
  const role = process.argv.includes('--worker') ? 'worker' : 'all';
  const runtime = await startMeridian(config, { logger, meridian, role });
  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down: draining in-flight work');
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
