/**
 * The shape of a follow-the-sun schedule, as the rotation maths sees it.
 *
 * A schedule straight from the config file may name people by e-mail ({@link ScheduleDefinition});
 * the maths takes a {@link Schedule} whose people are all Slack user ids, so resolving e-mails
 * (users.lookupByEmail) must happen first, and the type system says so.
 */
import type { LocalDate, LocalTime, Weekday } from './local-time.js';

/** How often a rotation hands off: every `count` days or weeks. */
export interface RotationPeriod {
  readonly count: number;
  readonly unit: 'day' | 'week';
}

/**
 * When a layer is on duty, in its own zone. A window starts on each of `days` at `from` and ends
 * at `to` the same day, or the next day when `to` is not after `from` (so 00:00-00:00 is a whole
 * day).
 */
export interface CoverageWindow {
  readonly days: readonly Weekday[];
  readonly from: LocalTime;
  readonly to: LocalTime;
}

/** A rotation over `M` (a Slack user id once resolved). */
export interface Rotation<M = string> {
  readonly members: readonly M[];
  readonly every: RotationPeriod;
  /** Local wall-clock time of each handoff. */
  readonly handoff: LocalTime;
  /** Local date of the first handoff; the first member starts then. */
  readonly starts: LocalDate;
}

/** One hub's layer: a zone, a coverage window and a rotation. */
export interface Layer<M = string> {
  readonly name: string;
  /** IANA zone; every local time of the layer is read in it. */
  readonly timeZone: string;
  readonly coverage: CoverageWindow;
  readonly rotation: Rotation<M>;
}

/** Someone who covers `[from, to)` above every layer (a swap, cover for leave). */
export interface Override<M = string> {
  readonly user: M;
  readonly from: Date;
  readonly to: Date;
}

/** A schedule over people of type `M`. Where layers overlap, the first listed wins. */
export interface ScheduleOf<M> {
  readonly id: string;
  readonly name: string;
  readonly layers: readonly Layer<M>[];
  /** Where overrides overlap, the first listed wins. */
  readonly overrides: readonly Override<M>[];
}

/** A person as the config file names them: a Slack user id, or an e-mail still to resolve. */
export type MemberRef = { readonly kind: 'user'; readonly userId: string } | { readonly kind: 'email'; readonly email: string };

/** A schedule as written in the config file (people may be e-mails). */
export type ScheduleDefinition = ScheduleOf<MemberRef>;

/** A schedule whose people are all Slack user ids: what the rotation maths takes. */
export type Schedule = ScheduleOf<string>;

/** E-mails a definition mentions, each once, for users.lookupByEmail. */
export function emailsToResolve(definition: ScheduleDefinition): string[] {
  const emails = new Set<string>();
  const note = (ref: MemberRef): void => {
    if (ref.kind === 'email') emails.add(ref.email);
  };
  for (const layer of definition.layers) layer.rotation.members.forEach(note);
  for (const override of definition.overrides) note(override.user);
  return [...emails];
}

/** Result of {@link resolveSchedule}. */
export type ScheduleResolution =
  | { readonly ok: true; readonly schedule: Schedule }
  | { readonly ok: false; readonly unresolvedEmails: string[] };

/**
 * Replaces every e-mail in a definition by its Slack user id. Fails, naming the e-mails, if any
 * is missing from `userIdsByEmail`: a rotation silently missing a person would be unfair.
 */
export function resolveSchedule(definition: ScheduleDefinition, userIdsByEmail: ReadonlyMap<string, string>): ScheduleResolution {
  const unresolved = new Set<string>();
  const resolve = (ref: MemberRef): string => {
    if (ref.kind === 'user') return ref.userId;
    const userId = userIdsByEmail.get(ref.email);
    if (userId === undefined) unresolved.add(ref.email);
    return userId ?? '';
  };
  const schedule: Schedule = {
    id: definition.id,
    name: definition.name,
    layers: definition.layers.map((layer) => ({
      ...layer,
      rotation: { ...layer.rotation, members: layer.rotation.members.map(resolve) },
    })),
    overrides: definition.overrides.map((override) => ({ ...override, user: resolve(override.user) })),
  };
  return unresolved.size === 0 ? { ok: true, schedule } : { ok: false, unresolvedEmails: [...unresolved] };
}
