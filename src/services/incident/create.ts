import type { IncidentServices } from './index.js';
import { UserError } from '../../errors.js';

/** Stub until the lifecycle services land. */
export function createIncidentServices(deps: unknown): IncidentServices {
  void deps;
  const todo = async (): Promise<never> => {
    throw new UserError('not_ready', 'This part of /incident is being built.');
  };
  return { modal: todo, submitModal: todo, status: todo, transition: todo, assignRoleFromText: todo };
}
