import { BOT_BUNDLE_ENV, buildBotBundle } from './bot-bundle.js';
import { ensureTestInfrastructure } from './infra.js';
import { dropOrphanTestDatabases, ensureTemplateDatabase } from './test-database.js';

export default async function setup(): Promise<() => void> {
  await ensureTestInfrastructure();
  await dropOrphanTestDatabases();
  // Migrated once here; every test file's database is a copy of it.
  await ensureTemplateDatabase();
  // Built once here; every child bot of the run starts from it (the test workers inherit the variable).
  const bundle = await buildBotBundle();
  process.env[BOT_BUNDLE_ENV] = bundle.file;
  return () => bundle.remove();
}
