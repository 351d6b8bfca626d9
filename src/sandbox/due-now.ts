/** What is due next in the bot's queue, as the "Run due now" control shows it. */
export interface DueAction {
  kind: string;
  dueAt: Date;
}

/** The bot's scheduled actions, as the wiring hands them to the sandbox (it imports nothing of the bot). */
export interface DueActions {
  next(): Promise<DueAction | undefined>;
  /** Makes the earliest delayed action due now; returns it, or undefined when nothing waits. */
  runNext(): Promise<DueAction | undefined>;
}

/** "Run due now": runs the earliest scheduled action now, and tells the person what it was. */
export async function runDueNow(dueActions: DueActions | undefined, tell: (text: string) => void): Promise<void> {
  const ran = await dueActions?.runNext();
  if (!ran) return tell('Nothing is scheduled: there is nothing to run.');
  if (DEADLINE_KINDS.has(ran.kind) && ran.dueAt.getTime() > Date.now()) {
    const what = ran.kind === 'clock-miss' ? 'miss' : 'reminder';
    return tell(
      `The next scheduled action is a deadline's ${what}, due ${ran.dueAt.toISOString()}. ` +
        `A deadline never fires before its time: the ${what} planned itself again for then, and nothing was posted.`,
    );
  }
  tell(`Ran the next scheduled action now: ${ran.kind} (it was due ${ran.dueAt.toISOString()}).`);
}

/** A deadline's reminder and miss: run early, they re-plan themselves for their own time and post nothing. */
const DEADLINE_KINDS = new Set(['clock-reminder', 'clock-miss']);
