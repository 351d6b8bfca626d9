import { upsertVerifiedContact } from '../../db/repos/contacts.js';
import type { PagingDeps } from './deps.js';
import { followAckLink, type PhoneReplyDeps, receiveKeypress, receiveSms } from './phone-replies.js';

/** What the HTTP edge calls for paging beyond Slack. */
export interface PagingServices {
  receiveSms(input: { from: string; body: string }): Promise<string>;
  receiveKeypress(input: { notificationId: string; digits: string | undefined }): Promise<string>;
  followAckLink(token: string): Promise<{ status: number; text: string }>;
  /** Writes the config's `contacts:` as verified (an admin vouches for them). */
  loadConfigContacts(): Promise<void>;
}

export function createPagingServices(deps: PagingDeps & PhoneReplyDeps): PagingServices {
  return {
    receiveSms: (input) => receiveSms(deps, input),
    receiveKeypress: (input) => receiveKeypress(deps, input),
    followAckLink: (token) => followAckLink(deps, token),
    async loadConfigContacts() {
      for (const contact of deps.meridian.contacts ?? []) await upsertVerifiedContact(deps.db, contact, deps.clock());
    },
  };
}
