/**
 * "Seen before" and incident links: earlier incidents alike (on declaration, in the channel, and
 * on demand with `/incident similar`), and `/incident link INC-12 related|duplicate|caused-by`.
 * A private incident is shown only to its members (and admins): never in a channel post.
 */
import type { Catalog } from '../../blocks/catalog.js';
import type { RenderedMessage } from '../../blocks/incident-messages.js';
import { incidentRef } from '../../blocks/incident-messages.js';
import { NOTHING_SIMILAR_TEXT, seenBeforeMessage, type SeenBefore } from '../../blocks/similar-incidents.js';
import type { Database, Db } from '../../db/client.js';
import type { Incident } from '../../db/repos/incidents.js';
import { addAuditRecord, addTimelineEntry } from '../../db/repos/record.js';
import { findIncidentByNumber } from '../../db/repos/review.js';
import { linkedReportTexts, saveIncidentLink, saveSearchText, similarCandidates } from '../../db/repos/similar-incidents.js';
import { anyWordQuery, comparableText, isLinkKind, LINK_KINDS, linkLabel, rankSimilar } from '../../domain/similar-incidents.js';
import { NotFound, UserError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import { refreshIncidentCard } from '../incident-card.js';
import { canSeeIncident, incidentOfChannelForUser, NOT_AVAILABLE_TEXT } from '../incident-access.js';
import type { Clock } from '../types.js';

export interface SimilarDeps {
  db: Database;
  slack: Pick<SlackGateway, 'updateMessage'>;
  catalog: Catalog;
  admins: readonly string[];
  logger: Logger;
  clock: Clock;
}

/** How many earlier incidents "seen before" shows at most. */
export const SEEN_BEFORE_LIMIT = 3;

/** Stores what the incident is compared on: its title, summary (hashtags included) and linked reports, transliterated. */
export async function refreshSearchText(db: Db, incident: Incident, now: Date): Promise<{ title: string; body: string }> {
  const reports = await linkedReportTexts(db, incident.id);
  const text = { title: comparableText(incident.title), body: comparableText(incident.title, incident.summary, ...reports) };
  await saveSearchText(db, incident.id, text, now);
  return text;
}

/** Earlier incidents like `text`, best first, private ones included: callers show each only to whom may see it. */
export async function findSeenBefore(
  db: Db,
  query: { teamId: string; excludeId: string | null; before: Date; title: string; body: string },
  limit: number,
): Promise<SeenBefore[]> {
  const candidates = await similarCandidates(db, { ...query, anyWord: anyWordQuery(query.body) });
  return rankSimilar(query.body, candidates, limit).map((c) => ({ incident: c.incident, reviewPostedAt: c.reviewPostedAt }));
}

export interface SimilarServices {
  /** `/incident similar [text]`: in an incident channel, incidents like it; with text, incidents like the text. Only what the caller may see. */
  similar(input: {
    userId: string;
    teamId: string;
    channelId: string;
    text: string;
  }): Promise<{ text: string; blocks?: RenderedMessage['blocks'] }>;
  /** `/incident link INC-12 related|duplicate|caused-by` in an incident channel. */
  link(input: { userId: string; channelId: string; args: string }): Promise<string>;
}

const LINK_USAGE = `Use \`/incident link INC-<number> ${LINK_KINDS.join('|')}\` in an incident's channel.`;

export function createSimilarServices(deps: SimilarDeps): SimilarServices {
  const access = { db: deps.db, admins: deps.admins, clock: deps.clock };

  const visibleTo = async (userId: string, matches: SeenBefore[]) => {
    const out: SeenBefore[] = [];
    for (const m of matches) if (await canSeeIncident(access, m.incident, userId)) out.push(m);
    return out;
  };

  return {
    async similar({ userId, teamId, channelId, text }) {
      const now = deps.clock();
      let query: { title: string; body: string; excludeId: string | null; before: Date };
      if (text.trim()) {
        const plain = comparableText(text);
        if (!plain) throw new UserError('invalid_input', 'Give some words to look for, e.g. `/incident similar blackout challenge`.');
        query = { title: plain, body: plain, excludeId: null, before: now };
      } else {
        const incident = await incidentOfChannelForUser(
          access,
          channelId,
          userId,
          'Use `/incident similar` in an incident channel, or give words to look for: `/incident similar blackout challenge`.',
        );
        const saved = await refreshSearchText(deps.db, incident, now);
        query = { ...saved, excludeId: incident.id, before: incident.declaredAt };
      }
      // Ask for more than are shown: some may be private to others.
      const matches = (await visibleTo(userId, await findSeenBefore(deps.db, { teamId, ...query }, SEEN_BEFORE_LIMIT * 4))).slice(
        0,
        SEEN_BEFORE_LIMIT,
      );
      if (!matches.length) return { text: NOTHING_SIMILAR_TEXT };
      return seenBeforeMessage(matches, deps.catalog);
    },

    async link({ userId, channelId, args }) {
      const incident = await incidentOfChannelForUser(access, channelId, userId, LINK_USAGE);
      const [ref = '', kindWord = '', ...rest] = args.trim().split(/\s+/);
      const number = /^(?:inc-?)?(\d{1,9})$/i.exec(ref)?.[1];
      const kind = kindWord.toLowerCase();
      if (!number || !isLinkKind(kind) || rest.length) {
        await refuse(deps, incident, userId, 'invalid_input');
        throw new UserError('invalid_input', `${number ? `\`${kindWord || '(nothing)'}\` is not a kind of link. ` : ''}${LINK_USAGE}`);
      }
      const other = await findIncidentByNumber(deps.db, Number(number));
      if (!other || other.teamId !== incident.teamId || !(await canSeeIncident(access, other, userId))) {
        await refuse(deps, incident, userId, 'not_visible');
        throw new NotFound(NOT_AVAILABLE_TEXT);
      }
      if (other.id === incident.id) {
        await refuse(deps, incident, userId, 'self');
        throw new UserError('invalid_input', `An incident cannot be linked to itself. ${LINK_USAGE}`);
      }
      const now = deps.clock();
      const changed = await deps.db.transaction(async (tx) => {
        const saved = await saveIncidentLink(tx, { incidentId: incident.id, linkedIncidentId: other.id, kind, createdBy: userId, at: now });
        if (!saved) return false;
        const label = `${linkLabel(kind, true)} ${incidentRef(other)}`;
        await addTimelineEntry(tx, {
          incidentId: incident.id,
          at: now,
          kind: 'incident_linked',
          actorId: userId,
          text: `Linked: ${label}`,
          data: { linkedIncidentId: other.id, kind },
        });
        await addAuditRecord(tx, {
          incidentId: incident.id,
          at: now,
          actorId: userId,
          action: 'incident.link',
          details: { linkedIncidentId: other.id, kind },
        });
        return true;
      });
      const what = `${incidentRef(incident)} is ${linkLabel(kind, true)} ${incidentRef(other)}`;
      if (!changed) return `${what} already.`;
      for (const id of [incident.id, other.id])
        await refreshIncidentCard({ db: deps.db, catalog: deps.catalog, slack: deps.slack, clock: deps.clock }, id).catch((err: unknown) =>
          deps.logger.warn({ err, incidentId: id }, 'link: could not refresh a card'),
        );
      return `Linked: ${what}. It shows on both cards and in the reviews.`;
    },
  };
}

async function refuse(deps: SimilarDeps, incident: Incident, userId: string, reason: string): Promise<void> {
  await addAuditRecord(deps.db, {
    incidentId: incident.id,
    at: deps.clock(),
    actorId: userId,
    action: 'incident.link',
    outcome: 'refused',
    details: { reason },
  });
}
