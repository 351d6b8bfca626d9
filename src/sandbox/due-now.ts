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
  tell(
    ran
      ? `Ran the next scheduled action now: ${ran.kind} (it was due ${ran.dueAt.toISOString()}).`
      : 'Nothing is scheduled: there is nothing to run.',
  );
}
