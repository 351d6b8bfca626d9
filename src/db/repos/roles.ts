import { asc, eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { incidentRoles } from '../schema/index.js';
import type { IncidentRoleAssignment } from '../../domain/incident.js';
import type { RowOf } from './row-type.js';

/** An incident_roles row is an {@link IncidentRoleAssignment}. */
type _RoleRow = RowOf<IncidentRoleAssignment, typeof incidentRoles.$inferSelect>;

/** Gives `role` to `userId`, replacing whoever held it. */
export async function setIncidentRole(db: Db, row: typeof incidentRoles.$inferInsert): Promise<void> {
  await db
    .insert(incidentRoles)
    .values(row)
    .onConflictDoUpdate({
      target: [incidentRoles.incidentId, incidentRoles.role],
      set: { userId: row.userId, assignedBy: row.assignedBy, assignedAt: row.assignedAt },
    });
}

export async function rolesOfIncident(db: Db, incidentId: string): Promise<IncidentRoleAssignment[]> {
  return db.select().from(incidentRoles).where(eq(incidentRoles.incidentId, incidentId)).orderBy(asc(incidentRoles.assignedAt));
}
