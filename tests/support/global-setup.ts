import { ensureTestInfrastructure } from './infra.js';
import { dropOrphanTestDatabases, ensureTemplateDatabase } from './test-database.js';

export default async function setup(): Promise<void> {
  await ensureTestInfrastructure();
  await dropOrphanTestDatabases();
  // Migrated once here; every test file's database is a copy of it.
  await ensureTemplateDatabase();
}
