import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import { getTranscriptLineModel, MongoTranscriptStore, TranscriptBuffer } from '../../../services/handoff';
import { dropTestDatabase, openTestDatabase } from '../../support/database';

describe('TranscriptBuffer', () => {
  let connection: Connection;
  before(async () => (connection = await openTestDatabase('transcriptbuffer')));
  after(async () => await dropTestDatabase(connection));

  const stored = async (conversationId: string): Promise<number> =>
    await getTranscriptLineModel(connection).countDocuments({ conversationId }).exec();

  it('writes the lines of several conversations together, behind the turns, and reads what was said before it', async () => {
    // A long interval: only `recent` and `flush` write in this test.
    const buffer = new TranscriptBuffer(new MongoTranscriptStore(connection), { flushMs: 60_000 });
    await buffer.append('conv-a', 'webchat', { from: 'user', text: 'my agent is offline' });
    await buffer.append('conv-b', 'msteams', { from: 'user', text: 'patch fails' });
    await buffer.append('conv-a', 'webchat', { from: 'bot', text: 'Here is what I found' });
    assert.equal(await stored('conv-a'), 0, 'nothing written during the turn');

    const lines = await buffer.recent('conv-a');
    assert.deepEqual(
      lines.map((l) => [l.from, l.text]),
      [
        ['user', 'my agent is offline'],
        ['bot', 'Here is what I found'],
      ],
    );
    assert.equal(await stored('conv-b'), 1, 'the other conversation was written in the same flush');
  });

  it('writes at once when the buffer is full, and keeps when each line was said', async () => {
    const buffer = new TranscriptBuffer(new MongoTranscriptStore(connection), {
      flushMs: 60_000,
      maxLines: 3,
    });
    const said = new Date('2026-12-02T10:00:00Z');
    for (let i = 0; i < 3; i++)
      await buffer.append('conv-full', 'webchat', { from: 'user', text: `line ${i}`, at: said });
    await buffer.flush();
    const lines = await new MongoTranscriptStore(connection).recent('conv-full');
    assert.equal(lines.length, 3);
    assert.ok(lines.every((l) => l.at.getTime() === said.getTime()));
  });

  it('drops a batch the database refuses and tells why, without throwing', async () => {
    const errors: unknown[] = [];
    const closed = await openTestDatabase('transcriptclosed');
    await dropTestDatabase(closed);
    const failing = new MongoTranscriptStore(closed);
    const buffer = new TranscriptBuffer(failing, { flushMs: 60_000, onError: (e) => errors.push(e) });
    await buffer.append('conv-x', 'webchat', { from: 'user', text: 'hello' });
    await buffer.flush();
    assert.equal(errors.length, 1);
    assert.equal(await stored('conv-x'), 0);
  });
});
