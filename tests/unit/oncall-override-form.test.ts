import { describe, expect, it } from 'vitest';
import { readOverrideForm } from '../../src/slack/inputs/oncall-override-view.js';

const NOW = new Date('2026-03-02T10:30:00Z');
const s = (iso: string) => Math.floor(Date.parse(iso) / 1000);

function values(fields: { schedule?: string; user?: string; from?: number; to?: number; reason?: string }) {
  return {
    schedule: { value: { type: 'static_select', selected_option: fields.schedule ? { value: fields.schedule } : null } },
    user: { value: { type: 'users_select', selected_user: fields.user ?? null } },
    from: { value: { type: 'datetimepicker', selected_date_time: fields.from ?? null } },
    to: { value: { type: 'datetimepicker', selected_date_time: fields.to ?? null } },
    reason: { value: { type: 'plain_text_input', value: fields.reason ?? null } },
  };
}

describe('reading the override form', () => {
  it('turns datetimepicker epoch seconds into instants and trims the reason', () => {
    const read = readOverrideForm(
      values({ schedule: 'emea', user: 'U0RESP001', from: s('2026-03-03T09:00Z'), to: s('2026-03-03T13:00Z'), reason: '  leave  ' }),
      NOW,
    );
    expect(read).toEqual({
      ok: true,
      form: {
        scheduleId: 'emea',
        userId: 'U0RESP001',
        from: new Date('2026-03-03T09:00Z'),
        to: new Date('2026-03-03T13:00Z'),
        reason: 'leave',
      },
    });
  });

  it('accepts a cover that started in the past and ends in the future', () => {
    const read = readOverrideForm(
      values({ schedule: 'emea', user: 'U0RESP001', from: s('2026-03-02T09:00Z'), to: s('2026-03-02T13:00Z') }),
      NOW,
    );
    expect(read.ok).toBe(true);
  });

  it('refuses an override longer than 90 days, on the "to" block', () => {
    const read = readOverrideForm(
      values({ schedule: 'emea', user: 'U0RESP001', from: s('2026-03-03T09:00Z'), to: s('2026-07-03T09:00Z') }),
      NOW,
    );
    expect(read).toEqual({ ok: false, errors: { to: 'An override can last at most 90 days.' } });
  });

  it('refuses a state that is not shaped like the modal with one calm message', () => {
    expect(readOverrideForm({ schedule: 'nope' }, NOW)).toEqual({
      ok: false,
      errors: { schedule: 'This form arrived incomplete. Please close it and try again.' },
    });
  });
});
