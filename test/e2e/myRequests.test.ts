import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { HelplineApp } from '../../bot';
import { freePort } from '../../services/db';
import { startTestApp, stopTestApp } from '../support/app';
import { launchBrowser } from '../support/browser';
import {
  click,
  ENGLISH_TICKET,
  openAsBob,
  problemToTicket,
  seeMessage,
  staffCall as staffApi,
  typeMessage,
} from '../support/webChatPage';

const STAFF_TOKEN = 'e2e-staff-token-0123456789';

interface StaffTicket {
  number: string;
  subject: string;
  status: string;
  timeline: Array<{ type: string; visibility: string; data: Record<string, unknown> }>;
}

describe('My requests in Chromium (end to end)', function () {
  this.timeout(90_000);
  let browser: Browser;
  let app: HelplineApp | undefined;

  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await stopTestApp(app);
  });

  it('lists a new ticket, takes a comment on it, and shows a staff status change live in the same chat', async () => {
    // Arrange: bob opens a technical ticket in the web chat.
    const port = await freePort();
    app = await startTestApp('e2e-my-requests', {
      PORT: String(port),
      STAFF_API_TOKENS: `${STAFF_TOKEN}:staff-1:Sam Support`,
    });
    const page = await openAsBob(browser, app, port, 'en-US');
    const number = await problemToTicket(page, ENGLISH_TICKET);
    assert.match(number, /^HL-\d{6}$/);

    // Act: My requests from the welcome card, open the ticket, comment through the card's form.
    await page.locator('.ac-pushButton', { hasText: 'My requests' }).first().click();
    await seeMessage(page, 'Requests you opened: 1.');
    await click(page, `Open ${number}`);
    await seeMessage(page, 'Timeline');
    await click(page, 'Add a comment');
    const commentBox = page.getByPlaceholder('Your comment for support').last();
    await commentBox.fill('The agent came back for ten minutes after a reboot, then went offline again.');
    await click(page, 'Send');
    await seeMessage(page, `Your comment was added to ${number}; support will see it.`);
    await seeMessage(page, 'Bob Singh wrote: The agent came back for ten minutes');

    // Act: support asks bob for more information through the staff API.
    const changed = await staffApi(port, STAFF_TOKEN, 'POST', `/tickets/${number}/status`, {
      status: 'pending',
      note: 'Please send us the agent log from the device.',
    });

    // Assert: the staff call worked and said the update was delivered…
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal((changed.body.notification as { kind?: string }).kind, 'delivered');
    const ticket = changed.body.ticket as StaffTicket;
    assert.equal(ticket.status, 'pending');
    const comment = ticket.timeline.find((event) => event.type === 'comment');
    assert.equal(comment?.visibility, 'public');

    // …and it shows up in the open chat without bob writing anything.
    await seeMessage(
      page,
      `Update on ${number} (“${ticket.subject}”): it is now waiting for your reply.`,
      20_000,
    );
    await seeMessage(page, 'Note from support: Please send us the agent log from the device.');
    await seeMessage(page, `Open “My requests” or quote ${number} to reply.`);
    await page.waitForTimeout(500);
    await page.screenshot({ path: 'test-results/e2e-my-requests.png' }).catch(() => undefined);

    // Act: bob answers in the same chat, where the ticket is still open; the typed words are offered as a comment.
    await typeMessage(page, 'Here is the agent log: service stopped at 06:10 after an update.');
    await seeMessage(page, `Shall I add this message as a comment on ${number}?`);
    await click(page, 'Yes');

    // Assert: the reply went on the ticket, which is back with support.
    await seeMessage(
      page,
      `Thank you: your reply was added to ${number} and the ticket is back with support.`,
    );
    const after = await staffApi(port, STAFF_TOKEN, 'GET', `/tickets/${number}`);
    assert.equal(after.status, 200);
    const replied = after.body.ticket as StaffTicket;
    assert.equal(replied.status, 'open');
    assert.deepEqual(
      replied.timeline.filter((event) => event.type === 'comment').map((event) => event.data.text),
      [
        'The agent came back for ten minutes after a reboot, then went offline again.',
        'Here is the agent log: service stopped at 06:10 after an update.',
      ],
    );
    await page.close();
  });
});
