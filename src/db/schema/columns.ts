import { timestamp } from 'drizzle-orm/pg-core';

/** Every instant is stored as timestamptz and read as a UTC Date. */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const createdAt = { createdAt: instant('created_at').notNull().defaultNow() };
