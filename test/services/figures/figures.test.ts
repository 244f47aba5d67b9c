import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { computeFigures, MetricsRegistry } from '../../../services/figures';
import { getHandoffModel, getTranscriptLineModel } from '../../../services/handoff';
import { getFeedbackModel } from '../../../services/knowledge';
import { getAnswerModel } from '../../../services/satisfaction';
import { dropTestDatabase, openTestDatabase } from '../../support/database';
import { completeTicket, testClock, ticketFixture } from '../tickets/fixtures';

const T = (iso: string) => new Date(`2026-11-${iso}Z`);
const SAM = { id: 'sam', name: 'Sam Support' };

describe('figures from a known set of conversations and tickets', function () {
  this.timeout(30_000);
  let connection: Connection;

  before(async () => {
    connection = await openTestDatabase('figures');
    const clock = testClock('2026-11-04T10:00:00Z');
    const lines = getTranscriptLineModel(connection);
    const line = (conversationId: string, from: string, at: string) => ({
      _id: randomUUID(),
      conversationId,
      channelId: 'webchat',
      from,
      text: 'hello',
      at: T(at),
    });
    await lines.insertMany([
      line('c1', 'user', '04T09:00:00'),
      line('c1', 'user', '04T09:05:00'),
      line('c1', 'bot', '04T09:00:01'),
      line('c2', 'user', '04T09:30:00'),
      line('c3', 'user', '05T08:00:00'),
      line('c4', 'user', '03T23:59:00'),
      line('c6', 'bot', '04T12:00:00'),
    ]);
    const feedback = getFeedbackModel(connection);
    const shown = [{ key: 'kb-1', locale: 'en', rank: 1 }];
    const fb = (
      conversationId: string,
      outcome: string,
      at: string,
      query = 'agent offline',
      articles = shown,
    ) => ({
      query,
      locale: 'en',
      articles,
      outcome,
      conversationId,
      channel: 'webchat',
      createdAt: T(at),
    });
    await feedback.insertMany([
      fb('c1', 'solved', '04T09:06:00'),
      fb('c2', 'not_solved', '04T09:40:00'),
      fb('c3', 'abandoned', '05T08:10:00'),
      fb('c5', 'no_results', '04T11:00:00', 'VPN tunnel drops', []),
      fb('c5', 'no_results', '04T11:01:00', 'vpn  tunnel DROPS', []),
      fb('c7', 'no_results', '05T11:00:00', 'VPN tunnel drops', []),
      fb('c7', 'no_results', '05T11:05:00', 'printer', []),
      fb('c8', 'solved', '07T10:00:00'),
    ]);

    const { tickets } = await ticketFixture(connection, clock);
    const a = await tickets.create(
      completeTicket({ conversationRefId: 'c2', channel: 'webchat' }),
      'figures-a-0001',
    );
    await tickets.create(
      completeTicket({
        module: 'backup',
        severity: 3,
        productVersion: undefined,
        unknownFields: ['productVersion'],
      }),
      'figures-b-0001',
    );
    clock.set('2026-11-04T11:00:00Z');
    await tickets.addComment(
      a.ticket.number,
      { kind: 'staff', staff: SAM, visibility: 'public' },
      'Looking at it.',
    );
    clock.set('2026-11-04T15:00:00Z');
    await tickets.changeStatus(a.ticket.number, SAM, 'resolved');

    const handoff = (status: string, created: string, accepted?: string) => ({
      _id: randomUUID(),
      conversationId: randomUUID(),
      channelId: 'webchat',
      locale: 'en',
      reason: 'asked',
      target: 'console',
      status,
      transcript: [],
      createdAt: T(created),
      deadlineAt: T(created),
      ...(accepted ? { acceptedAt: T(accepted) } : {}),
    });
    await getHandoffModel(connection).insertMany([
      handoff('completed', '04T10:00:00', '04T10:00:30'),
      handoff('accepted', '04T12:00:00', '04T12:01:30'),
      handoff('timed_out', '05T10:00:00'),
      handoff('failed', '05T22:00:00'),
      handoff('completed', '07T10:00:00', '07T10:00:05'),
    ]);
    const answer = (score: number, at: string) => ({
      _id: randomUUID(),
      kind: 'ticket',
      score,
      answeredAt: T(at),
      locale: 'en',
    });
    await getAnswerModel(connection).insertMany([
      answer(5, '04T16:00:00'),
      answer(4, '04T17:00:00'),
      answer(4, '05T09:00:00'),
      answer(2, '05T10:00:00'),
      answer(1, '08T10:00:00'),
    ]);
  });
  after(async () => {
    await dropTestDatabase(connection);
  });

  async function figures() {
    return await computeFigures(
      {
        connection,
        policy: (await ticketFixture(connection, () => T('06T12:00:00'))).tickets.policy,
        clock: () => T('06T12:00:00'),
      },
      T('04T00:00:00'),
      T('06T00:00:00'),
    );
  }

  it('counts conversations in which a user wrote during the period', async () => {
    assert.equal((await figures()).conversations, 3);
  });

  it('counts knowledge answers shown, solved, not solved, and the searches that found nothing by frequency', async () => {
    const f = await figures();
    assert.deepEqual(f.knowledge, { shown: 3, solved: 1, notSolved: 1, noResults: 4 });
    assert.deepEqual(f.knowledgeGaps, [
      { query: 'vpn tunnel drops', count: 3 },
      { query: 'printer', count: 1 },
    ]);
  });

  it('reports deflection twice: solved without a ticket, and ended after articles with no ticket within 24 h', async () => {
    const { deflection } = await figures();
    assert.equal(deflection.conversationsWithArticles, 3);
    assert.equal(deflection.solvedWithoutTicket, 1);
    assert.equal(deflection.endedWithoutTicket, 1);
    assert.equal(deflection.solvedWithoutTicketRate, 1 / 3);
  });

  it('counts tickets by module and severity, and the share opened complete', async () => {
    const { tickets } = await figures();
    assert.equal(tickets.opened, 2);
    assert.deepEqual(tickets.byModule, { 'rmm-agent': 1, backup: 1 });
    assert.deepEqual(tickets.bySeverity, { '2': 1, '3': 1 });
    assert.equal(tickets.completeShare, 0.5);
  });

  it('measures first response against the severity targets and time to resolution', async () => {
    const { responseTimes } = await figures();
    assert.equal(responseTimes['2'].firstResponseMet, 1);
    assert.equal(responseTimes['2'].firstResponseWithinTargetRate, 1);
    assert.equal(responseTimes['2'].medianFirstResponseHours, 1);
    assert.equal(responseTimes['2'].medianResolutionHours, 5);
    // Severity 3 is due within one business day and nobody answered by the end of the period.
    assert.equal(responseTimes['3'].firstResponseMissed, 1);
    assert.equal(responseTimes['3'].firstResponseWithinTargetRate, 0);
    assert.equal(responseTimes['1'].firstResponseWithinTargetRate, null);
  });

  it('counts handoffs requested, accepted, timed out, and the median time to accept', async () => {
    assert.deepEqual((await figures()).handoffs, {
      requested: 4,
      accepted: 2,
      timedOut: 1,
      unavailable: 1,
      medianSecondsToAccept: 60,
    });
  });

  it('averages satisfaction and gives its distribution', async () => {
    assert.deepEqual((await figures()).satisfaction, {
      answers: 4,
      average: 3.75,
      distribution: { '1': 0, '2': 1, '3': 0, '4': 2, '5': 1 },
    });
  });

  it('renders metrics in the Prometheus text format', () => {
    const registry = new MetricsRegistry();
    registry.turns.inc({ channel: 'webchat', type: 'message' });
    registry.turnSeconds.observe({ channel: 'webchat', type: 'message' }, 0.03);
    const text = registry.render();
    assert.match(
      text,
      /# TYPE helpline_turns_total counter\nhelpline_turns_total\{channel="webchat",type="message"\} 1\n/,
    );
    assert.match(
      text,
      /helpline_turn_duration_seconds_bucket\{channel="webchat",type="message",le="0.05"\} 1/,
    );
    assert.match(
      text,
      /helpline_turn_duration_seconds_bucket\{channel="webchat",type="message",le="0.025"\} 0/,
    );
    assert.match(text, /helpline_turn_duration_seconds_count\{channel="webchat",type="message"\} 1/);
  });
});
