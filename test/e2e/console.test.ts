import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { HelplineApp } from '../../bot';
import { freePort } from '../../services/db';
import { startTestApp, stopTestApp } from '../support/app';
import { launchBrowser } from '../support/browser';
import {
  ENGLISH_TICKET,
  assertNoMarkupFrom,
  click,
  openAsBob,
  problemToTicket,
  seeMessage,
  typeMessage,
} from '../support/webChatPage';

const STAFF_TOKEN = 'console-e2e-token-0123456789';

async function signInToConsole(browser: Browser, port: number, locale = 'en-GB'): Promise<Page> {
  const page = await browser.newPage({ locale });
  await page.goto(`http://127.0.0.1:${port}/console`);
  await page.getByLabel(locale.startsWith('fr') ? 'Jeton du support' : 'Staff token').fill(STAFF_TOKEN);
  await page.getByRole('button', { name: locale.startsWith('fr') ? 'Se connecter' : 'Sign in' }).click();
  await page.locator('#staff-name', { hasText: 'Sam Support' }).waitFor({ timeout: 15_000 });
  return page;
}

describe('agent console in Chromium (end to end)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let app: HelplineApp | undefined;
  /** Added to the real time: the console's session expiry is tested by moving the clock on. */
  let skew = 0;

  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await stopTestApp(app);
    app = undefined;
  });

  async function start(label: string, env: Record<string, string> = {}): Promise<number> {
    const port = await freePort();
    skew = 0;
    app = await startTestApp(
      label,
      {
        PORT: String(port),
        STAFF_API_TOKENS: `${STAFF_TOKEN}:sam:Sam Support`,
        HANDOFF_HOURS: 'always',
        LIFECYCLE_JOB: 'false',
        ...env,
      },
      () => new Date(Date.now() + skew),
    );
    return port;
  }

  it('staff sign in, see the queue, open a ticket and reply publicly; the partner sees the reply in Web Chat', async () => {
    const port = await start('e2e-console-reply');
    const chat = await openAsBob(browser, app!, port, 'en-US');
    const number = await problemToTicket(chat, ENGLISH_TICKET);

    const console = await signInToConsole(browser, port);
    const row = console.locator('#queue-table tbody tr', { hasText: number });
    await row.waitFor({ timeout: 15_000 });
    await row.getByRole('link', { name: number }).click();
    await console.locator('#ticket-title', { hasText: number }).waitFor();
    await console.locator('#ticket-fields dd', { hasText: 'https://rmm.northwind.example' }).waitFor();
    await console
      .getByRole('textbox', { name: 'Reply' })
      .fill(
        'We found it: <img src=x onerror=alert(1)> please **update** the agent [here](https://evil.example).',
      );
    await console.getByRole('button', { name: 'Send' }).first().click();
    // Staff text stays text in the console.
    await console.locator('#ticket-timeline li', { hasText: '<img src=x onerror=alert(1)>' }).waitFor();
    assert.equal(await console.locator('#ticket-timeline img').count(), 0);
    await console.locator('#ticket-viewers li', { hasText: 'Sam Support' }).first().waitFor();

    await seeMessage(chat, 'please **update** the agent', 20_000);
    // Staff text is plain text in Web Chat too: no element, bold or link came from it.
    await assertNoMarkupFrom(chat, { link: 'https://evil.example', bold: 'update' });
    await chat.screenshot({ path: 'test-results/e2e-console-reply-chat.png' }).catch(() => undefined);
    await console.screenshot({ path: 'test-results/e2e-console-ticket.png' }).catch(() => undefined);
    await chat.close();
    await console.close();
  });

  it('a partner asks for a person, the agent accepts, they talk both ways, and the agent converts it into a ticket', async () => {
    const port = await start('e2e-console-handoff');
    const console = await signInToConsole(browser, port);
    const chat = await openAsBob(browser, app!, port, 'en-US');
    await typeMessage(chat, 'talk to a person');
    await seeMessage(chat, 'finding someone from support');

    await console.getByRole('button', { name: 'Live conversations' }).click();
    const waiting = console.locator('#handoff-list button', { hasText: 'Bob Singh' });
    await waiting.waitFor({ timeout: 15_000 });
    await waiting.click();
    await console.locator('#chat li', { hasText: 'talk to a person' }).waitFor();
    await console.getByRole('button', { name: 'Accept' }).click();
    await seeMessage(chat, 'Sam Support from support has joined');

    await typeMessage(chat, 'My agents went offline after the update');
    await console
      .locator('#chat li', { hasText: 'My agents went offline after the update' })
      .waitFor({ timeout: 15_000 });
    await console.getByLabel('Message').fill('Which version did you install?');
    await console.locator('#chat-form button').click();
    await seeMessage(chat, 'Sam Support: Which version did you install?');

    await console.locator('#convert-module').selectOption('rmm-agent');
    await console.locator('#convert-severity').selectOption('2');
    await console.locator('#convert-form button').click();
    await console.locator('#status', { hasText: /Ticket HL-\d{6} opened/ }).waitFor({ timeout: 15_000 });
    const number = /HL-\d{6}/.exec(await console.locator('#status').innerText())![0];
    await seeMessage(chat, `into ticket ${number}`);
    await console.screenshot({ path: 'test-results/e2e-console-handoff.png' }).catch(() => undefined);
    await chat.close();
    await console.close();
  });

  it('a handoff nobody accepts times out into a ticket offer', async () => {
    const port = await start('e2e-console-timeout', {
      HANDOFF_TIMEOUT_SECONDS: '2',
      DESK_SWEEP_SECONDS: '1',
    });
    const console = await signInToConsole(browser, port);
    const chat = await openAsBob(browser, app!, port, 'fr-FR');
    await typeMessage(chat, "je veux parler à quelqu'un");
    await seeMessage(chat, /Je cherche quelqu.un du support/);
    await seeMessage(chat, /personne n.a pu prendre votre conversation/, 20_000);
    await click(chat, 'Ouvrir un ticket avec cette conversation');
    await seeMessage(chat, /module/i, 20_000);
    await chat.screenshot({ path: 'test-results/e2e-console-timeout.png' }).catch(() => undefined);
    await chat.close();
    await console.close();
  });

  it('refuses a change without the CSRF token, and an expired session', async () => {
    const port = await start('e2e-console-csrf', { CONSOLE_SESSION_MINUTES: '5' });
    const console = await signInToConsole(browser, port);
    const forged = await console.evaluate(async () => {
      const res = await fetch('/console/api/handoffs/00000000-0000-4000-8000-000000000000/accept', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      return { status: res.status, body: (await res.json()) as { error: { code: string } } };
    });
    assert.equal(forged.status, 403);
    assert.equal(forged.body.error.code, 'CsrfRefused');
    const wrongOrigin = await fetch(`http://127.0.0.1:${port}/console/api/session/end`, {
      method: 'POST',
      headers: {
        Cookie: (await console.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; '),
        'X-CSRF-Token': 'guess',
        Origin: 'https://evil.example',
      },
    });
    assert.equal(wrongOrigin.status, 403);
    const cookie = (await console.context().cookies()).find((c) => c.name === 'hl_console');
    assert.equal(cookie?.httpOnly, true);
    assert.equal(cookie?.sameSite, 'Strict');

    skew += 6 * 60_000;
    await console.locator('#status', { hasText: 'Your session has ended' }).waitFor({ timeout: 15_000 });
    assert.ok(await console.locator('#sign-in-form').isVisible());
    await console.close();
  });
});
