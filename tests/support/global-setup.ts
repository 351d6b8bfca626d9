import { ensureTestInfrastructure } from './infra.js';
import { dropOrphanTestDatabases } from './test-database.js';

export default async function setup(): Promise<void> {
  await ensureTestInfrastructure();
  await dropOrphanTestDatabases();
}
