/**
 * At start, each team's `jira_project` is looked up in Jira, so a key that does not exist is said
 * in the log the day it is configured, not found by the first follow-up. It stops nothing: the
 * form refuses that team's follow-ups by name until the project exists.
 */
import type { JiraGateway } from '../../jira-api/gateway.js';
import type { Logger } from '../../log.js';
import type { FollowUpTeam } from '../../domain/follow-ups.js';

export async function checkJiraProjects(
  deps: { jira: Pick<JiraGateway, 'projectExists'>; logger: Logger },
  teams: readonly FollowUpTeam[],
) {
  for (const [index, team] of teams.entries()) {
    if (!team.jiraProject) continue;
    try {
      if (!(await deps.jira.projectExists(team.jiraProject)))
        deps.logger.error(
          { path: `follow_ups.teams[${index}].jira_project`, project: team.jiraProject, team: team.id },
          `Jira has no project ${team.jiraProject} (or this account cannot see it): follow-ups of team ${team.id} will be refused until it exists or the key is fixed`,
        );
    } catch (err) {
      deps.logger.warn({ err, project: team.jiraProject }, 'the Jira project could not be checked at start');
    }
  }
}
