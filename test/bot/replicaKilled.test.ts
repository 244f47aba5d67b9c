import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import type { HelplineApp } from '../../bot';
import { DEMO_CONTACTS } from '../../services/identity';
import { getTicketModel } from '../../services/tickets';
import { DirectLineTestClient, startTestApp, stopTestApp } from '../support/app';
import { testDatabaseUri, uniqueDbName } from '../support/database';
import { shown } from '../support/teamsClient';
import { startReplica, type ReplicaProcess } from '../support/replicaProcess';

const SECRET = 'replica-killed-test-secret-0123456789abcdef';

describe('a replica killed in the middle of an intake', function () {
  this.timeout(180_000);
  let a: HelplineApp;
  let b: ReplicaProcess;
  const shared = {
    MONGODB_DB: uniqueDbName('killed'),
    WEB_USER_TOKEN_SECRET: SECRET,
    LIFECYCLE_JOB: 'false',
    DIRECTLINE_TOKENS_PER_MINUTE: '1000',
    ACTIVITY_IN_FLIGHT_SECONDS: '2',
  };

  before(async () => {
    a = await startTestApp('killed-a', shared);
    b = await startReplica({ ...shared, MONGODB_URI: testDatabaseUri() });
  });
  after(async () => {
    b?.child.kill('SIGKILL');
    await stopTestApp(a);
  });

  it('loses nothing: the answer sent as the process died is taken over by the other replica, and one ticket opens with it', async () => {
    const alice = DEMO_CONTACTS.alice;
    const userToken = await a.userTokens!.sign({
      subject: alice.webSubject,
      email: alice.email,
      name: alice.name,
    });
    const onB = new DirectLineTestClient(b.url);
    await onB.start({ userToken });
    await onB.waitForBot(1);
    const say = async (client: DirectLineTestClient, text: string): Promise<string> =>
      shown(await client.say(text, { channelData: { clientActivityID: randomUUID() } }));
    assert.match(
      await say(
        onB,
        'I need to open a ticket: agents at our Leeds site show offline since this morning. Server https://rmm.northwind.example, agent version 9.5.2. Steps: 1) open the console 2) look at the device list',
      ),
      /How serious/,
    );
    assert.match(await say(onB, '2'), /Which devices/);

    // The devices answer reaches B, which claims it and is frozen, then killed, in the middle of that turn.
    const clientActivityID = randomUUID();
    const claimId = createHash('sha256')
      .update(JSON.stringify(['directline', onB.conversationId, clientActivityID]))
      .digest('hex');
    const claims = a.connection.collection('received_activities');
    const lost = onB
      .send({ text: 'SN: 5CG1234XYZ, device: 10452', channelData: { clientActivityID } })
      .catch(() => undefined);
    const deadline = Date.now() + 30_000;
    while (!(await claims.findOne({ _id: claimId as never })) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 2));
    b.child.kill('SIGSTOP');
    const claim = await claims.findOne({ _id: claimId as never });
    assert.ok(claim, 'B claimed the activity');
    assert.notEqual(claim.done, true, 'B was stopped before the end of its turn');
    b.child.kill('SIGKILL');
    await lost;

    // Web Chat sends it again (same clientActivityID), now through the load balancer to A.
    const onA = new DirectLineTestClient(a.url());
    onA.token = onB.token;
    onA.conversationId = onB.conversationId;
    onA.watermark = onB.watermark;
    let resent = await onA.send({ text: 'SN: 5CG1234XYZ, device: 10452', channelData: { clientActivityID } });
    for (let i = 0; resent.status === 503 && i < 10; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      resent = await onA.send({ text: 'SN: 5CG1234XYZ, device: 10452', channelData: { clientActivityID } });
    }
    assert.equal(resent.status, 200, JSON.stringify(resent.json));
    const summary = shown(await onA.waitForBot(1));
    assert.match(summary, /Your ticket, ready to send/);
    assert.match(summary, /5CG1234XYZ \/ 10452/);
    assert.match(summary, /https:\/\/rmm\.northwind\.example/);

    const opened = await say(onA, 'Submit');
    const number = /HL-\d{6}/.exec(opened)?.[0];
    assert.ok(number, opened);
    const tickets = await getTicketModel(a.connection)
      .find({ 'requester.contactId': alice.id })
      .lean()
      .exec();
    assert.equal(tickets.length, 1, 'one ticket');
    assert.deepEqual(
      tickets[0]?.devices?.map((d) => d.serialNumber),
      ['5CG1234XYZ'],
    );
    const said = (
      await onA.request('GET', `/directline/conversations/${onA.conversationId}/activities?watermark=0`)
    ).json.activities as Array<{ channelData?: { clientActivityID?: string } }>;
    assert.equal(
      said.filter((x) => x.channelData?.clientActivityID === clientActivityID).length,
      1,
      'the user’s message is in the conversation once',
    );
  });
});
