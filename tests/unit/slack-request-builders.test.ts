import { describe, expect, it } from 'vitest';
import {
  blockActionsPayload,
  eventCallback,
  interactivityBody,
  slashCommandFields,
  viewSubmissionPayload,
} from '../../src/sandbox/slack/requests.js';

const values = { title: { title_input: { type: 'plain_text_input', value: 'Trend X' } } };

describe("the sandbox's builders of Slack's requests", () => {
  it('when a person types a command in a DM, then the form says directmessage, their name and the response_url', () => {
    const fields = slashCommandFields({
      command: '/incident',
      text: 'declare Trend X',
      user: { id: 'U0LEAD0001', name: 'mei' },
      channelId: 'D0001',
      channelName: 'directmessage',
      triggerId: 't.1',
      responseUrl: 'http://127.0.0.1:1/sandbox/respond?user=U0LEAD0001&channel=D0001',
    });
    expect(fields).toMatchObject({
      channel_name: 'directmessage',
      user_id: 'U0LEAD0001',
      user_name: 'mei',
      response_url: 'http://127.0.0.1:1/sandbox/respond?user=U0LEAD0001&channel=D0001',
      trigger_id: 't.1',
      team_id: 'T0MERIDIAN',
    });
  });

  it('when a person clicks in an ephemeral message, then the container says so and no message is carried', () => {
    const payload = blockActionsPayload({
      user: { id: 'U0SGA0001' },
      action: { type: 'button', action_id: 'ack', block_id: 'b0', action_ts: '1.1', value: 'p-1' },
      triggerId: 't.2',
      channel: { id: 'C1', name: 'incident' },
      messageTs: '1700000000.000200',
      isEphemeral: true,
    });
    expect(payload['container']).toEqual({ type: 'message', message_ts: '1700000000.000200', channel_id: 'C1', is_ephemeral: true });
    expect(payload).not.toHaveProperty('message');
    expect(payload['actions']).toEqual([{ type: 'button', action_id: 'ack', block_id: 'b0', action_ts: '1.1', value: 'p-1' }]);
  });

  it("when a pushed modal is submitted, then the echo keeps what the app published and Slack's own fields win", () => {
    const payload = viewSubmissionPayload({
      user: { id: 'U0LEAD0001' },
      triggerId: 't.3',
      view: {
        id: 'V2',
        callback_id: 'declare',
        state: { values },
        hash: 'h2',
        previous_view_id: 'V1',
        root_view_id: 'V1',
        published: {
          title: { type: 'plain_text', text: 'Declare' },
          id: 'V-forged',
          callback_id: 'forged',
          submit: { type: 'plain_text', text: 'Go' },
        },
      },
    });
    expect(payload['view']).toMatchObject({
      id: 'V2',
      callback_id: 'declare',
      title: { type: 'plain_text', text: 'Declare' },
      submit: { type: 'plain_text', text: 'Go' },
      state: { values },
      hash: 'h2',
      previous_view_id: 'V1',
      root_view_id: 'V1',
      app_id: 'A0MERIDIAN',
    });
    expect(JSON.parse(new URLSearchParams(interactivityBody(payload)).get('payload') ?? '')).toEqual(payload);
  });

  it('when an event is delivered, then the envelope names the bot as the authorization', () => {
    expect(eventCallback({ eventId: 'Ev1', event: { type: 'app_home_opened' }, eventTime: 1_700_000_000 })).toMatchObject({
      type: 'event_callback',
      event_id: 'Ev1',
      event_time: 1_700_000_000,
      authorizations: [{ user_id: 'U0MERIDIAN', is_bot: true }],
    });
  });
});
