import assert from 'node:assert/strict';
import { TurnGate } from '../../bot/turnGate';

/** A turn the test ends by hand, recording when it started. */
function pending(
  log: string[],
  name: string,
): { work: () => Promise<string>; end: () => void; fail: () => void } {
  let end!: () => void;
  let fail!: () => void;
  const done = new Promise<string>((resolve, reject) => {
    end = () => resolve(name);
    fail = () => reject(new Error(`${name} failed`));
  });
  return {
    work: () => {
      log.push(name);
      return done;
    },
    end,
    fail,
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('TurnGate: turns run at once, and the order of the others', () => {
  it('runs at most `limit` turns; the others start in arrival order as places free up', async () => {
    const gate = new TurnGate(2);
    const started: string[] = [];
    const turns = ['a', 'b', 'c', 'd'].map((name) => pending(started, name));
    const results = turns.map((turn) => gate.run(turn.work));
    await settle();
    assert.deepEqual(started, ['a', 'b']);
    assert.equal(gate.queued, 2);
    turns[1].end();
    await settle();
    assert.deepEqual(started, ['a', 'b', 'c']);
    turns[0].end();
    await settle();
    assert.deepEqual(started, ['a', 'b', 'c', 'd']);
    assert.equal(gate.queued, 0);
    turns[2].end();
    turns[3].end();
    assert.deepEqual(await Promise.all(results), ['a', 'b', 'c', 'd']);
  });

  it('a turn that fails frees its place and its error reaches its caller', async () => {
    const gate = new TurnGate(1);
    const started: string[] = [];
    const [a, b] = [pending(started, 'a'), pending(started, 'b')];
    const first = gate.run(a.work);
    const second = gate.run(b.work);
    await settle();
    assert.deepEqual(started, ['a']);
    a.fail();
    await assert.rejects(first, /a failed/);
    await settle();
    assert.deepEqual(started, ['a', 'b']);
    b.end();
    assert.equal(await second, 'b');
    // The place is free again.
    assert.equal(await gate.run(() => Promise.resolve('c')), 'c');
  });

  it('with limit 0 nothing waits', async () => {
    const gate = new TurnGate(0);
    const started: string[] = [];
    const turns = Array.from({ length: 50 }, (_, i) => pending(started, `t${i}`));
    const results = turns.map((turn) => gate.run(turn.work));
    await settle();
    assert.equal(started.length, 50);
    turns.forEach((turn) => turn.end());
    assert.equal((await Promise.all(results)).length, 50);
  });
});
