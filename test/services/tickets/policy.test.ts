import assert from 'node:assert/strict';
import {
  DEFAULT_TICKET_POLICY,
  dueAfter,
  priorityForSeverity,
  ticketPolicy,
} from '../../../services/tickets';

const hours = DEFAULT_TICKET_POLICY.businessHours; // Mon–Fri 9:00–18:00 UTC

describe('ticket policy', () => {
  it('maps severities 1–4 to Urgent, High, Medium, Low', () => {
    assert.deepEqual(
      [1, 2, 3, 4].map((s) => priorityForSeverity(s as 1 | 2 | 3 | 4)),
      ['Urgent', 'High', 'Medium', 'Low'],
    );
  });

  describe('dueAfter', () => {
    it('counts plain hours round the clock', () => {
      const due = dueAfter(new Date('2026-11-07T23:30:00Z'), { amount: 1, unit: 'hours' }, hours);
      assert.equal(due.toISOString(), '2026-11-08T00:30:00.000Z');
    });

    it('starts business hours at the next opening when a ticket arrives before it', () => {
      const due = dueAfter(new Date('2026-11-02T07:00:00Z'), { amount: 4, unit: 'business_hours' }, hours);
      assert.equal(due.toISOString(), '2026-11-02T13:00:00.000Z');
    });

    it('carries business hours over the weekend', () => {
      const due = dueAfter(new Date('2026-11-06T17:00:00Z'), { amount: 4, unit: 'business_hours' }, hours);
      assert.equal(due.toISOString(), '2026-11-09T12:00:00.000Z');
    });

    it('counts a business day as one day of opening hours', () => {
      const fromFriday = dueAfter(
        new Date('2026-11-06T17:00:00Z'),
        { amount: 1, unit: 'business_days' },
        hours,
      );
      const fromSaturday = dueAfter(
        new Date('2026-11-07T12:00:00Z'),
        { amount: 2, unit: 'business_days' },
        hours,
      );
      assert.equal(fromFriday.toISOString(), '2026-11-09T17:00:00.000Z');
      assert.equal(fromSaturday.toISOString(), '2026-11-10T18:00:00.000Z');
    });

    it('applies the time zone offset of the business hours', () => {
      const paris = { ...hours, utcOffsetMinutes: 60 }; // opening 9:00 local = 8:00 UTC
      const due = dueAfter(new Date('2026-11-02T06:00:00Z'), { amount: 2, unit: 'business_hours' }, paris);
      assert.equal(due.toISOString(), '2026-11-02T10:00:00.000Z');
    });
  });

  it('takes overrides over the defaults, one level deep', () => {
    const policy = ticketPolicy({
      firstResponse: { ...DEFAULT_TICKET_POLICY.firstResponse, 2: { amount: 2, unit: 'hours' } },
      reopenWindowDays: 3,
    });

    assert.deepEqual(policy.firstResponse[2], { amount: 2, unit: 'hours' });
    assert.deepEqual(policy.firstResponse[1], DEFAULT_TICKET_POLICY.firstResponse[1]);
    assert.equal(policy.reopenWindowDays, 3);
    assert.deepEqual(policy.businessHours, DEFAULT_TICKET_POLICY.businessHours);
  });
});
