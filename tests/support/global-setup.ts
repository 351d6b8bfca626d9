import { ensureTestInfrastructure } from './infra.js';

export default async function setup(): Promise<void> {
  await ensureTestInfrastructure();
}
