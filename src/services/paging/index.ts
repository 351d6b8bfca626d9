import { upsertVerifiedContact } from '../../db/repos/contacts.js';
import type { PagingDeps } from './deps.js';
import type { View } from '@slack/types';
import { type MyPagingForm, myPagingModal, saveMyPaging } from './preferences.js';
import { type DeliveryStatusDeps, type DeliveryStatusInput, receiveDeliveryStatus } from './delivery-status.js';
import { followAckLink, type PhoneReplyDeps, receiveKeypress, receiveSms } from './phone-replies.js';

/** What the HTTP edge calls for paging beyond Slack. */
export interface PagingServices {
  receiveSms(input: { from: string; body: string }): Promise<string>;
  receiveKeypress(input: { notificationId: string; digits: string | undefined }): Promise<string>;
  followAckLink(token: string): Promise<{ status: number; text: string }>;
  /** Twilio's status callback for an SMS or call: a delivery failure moves on to the next rule at once. */
  receiveDeliveryStatus(input: DeliveryStatusInput): Promise<string>;
  /** `/oncall me`: the modal, and saving it (returns the modal that says what changed). */
  myPagingModal(userId: string): Promise<View>;
  saveMyPaging(userId: string, form: MyPagingForm): Promise<View>;
  /** Writes the config's `contacts:` as verified (an admin vouches for them). */
  loadConfigContacts(): Promise<void>;
}

export function createPagingServices(deps: PagingDeps & PhoneReplyDeps & DeliveryStatusDeps): PagingServices {
  return {
    receiveSms: (input) => receiveSms(deps, input),
    receiveKeypress: (input) => receiveKeypress(deps, input),
    followAckLink: (token) => followAckLink(deps, token),
    receiveDeliveryStatus: (input) => receiveDeliveryStatus(deps, input),
    myPagingModal: (userId) => myPagingModal(deps, userId),
    saveMyPaging: (userId, form) => saveMyPaging(deps, userId, form),
    async loadConfigContacts() {
      for (const contact of deps.meridian.contacts ?? []) await upsertVerifiedContact(deps.db, contact, deps.clock());
    },
  };
}
