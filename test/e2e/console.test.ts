import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { HelplineApp } from '../../bot';
import { freePort } from '../../services/db';
import { startTestApp, stopTestApp } from '../support/app';
import { ConsoleTestClient } from '../support/consoleClient';
import { startTwoProcesses } from '../support/twoProcesses';
import { completeTicket, ticketFixture } from '../services/tickets/fixtures';
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

/**
 * In the page: every visible piece of text whose contrast with its background is under WCAG AA
 * (4.5:1). A string, as the page runs it (the test's compiled functions carry helpers it lacks).
 */
const LOW_CONTRAST_TEXT = `(() => {
  const rgb = (value) => (value.match(/[\\d.]+/g) || []).map(Number);
  const channel = (c) => { const s = c / 255; return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4); };
  const luminance = (c) => 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
  const background = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const c = rgb(getComputedStyle(node).backgroundColor);
      if (c.length < 4 || c[3] > 0.5) return c;
    }
    return [255, 255, 255];
  };
  const found = [];
  for (const el of Array.from(document.querySelectorAll('body *'))) {
    const ownText = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!ownText || el.offsetParent === null || el.closest('.visually-hidden')) continue;
    const fg = luminance(rgb(getComputedStyle(el).color));
    const bg = luminance(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    if (ratio < 4.5) found.push(el.tagName + '#' + el.id + '.' + el.className + ': ' + ratio.toFixed(2));
  }
  return found;
})()`;

async function signInToConsole(browser: Browser, port: number | string, locale = 'en-GB'): Promise<Page> {
  const page = await browser.newPage({ locale });
  await page.goto(typeof port === 'string' ? `${port}/console` : `http://127.0.0.1:${port}/console`);
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

    // Seen from the queue: the conversation waiting, next to "Live conversations".
    await console.locator('#live-waiting', { hasText: '1 waiting' }).waitFor({ timeout: 15_000 });
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
    // The live-update stream checks the session at each keep-alive and says when it has ended.
    const port = await start('e2e-console-csrf', {
      CONSOLE_SESSION_MINUTES: '5',
      CONSOLE_KEEPALIVE_SECONDS: '1',
    });
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

  it('updates live from the database: a ticket changed and one opened through another process appear without a reload', async () => {
    const processes = await startTwoProcesses('e2e-console-live', {
      STAFF_API_TOKENS: `${STAFF_TOKEN}:sam:Sam Support`,
      CONSOLE_LIVE_POLL_MS: '200',
    });
    try {
      const { tickets } = await ticketFixture(processes.a.connection, () => new Date());
      const first = (await tickets.create(completeTicket(), 'e2e-live-1')).ticket;
      const console = await signInToConsole(browser, processes.a.url());
      const row = console.locator('#queue-table tbody tr', { hasText: first.number });
      await row.waitFor({ timeout: 15_000 });
      // The stream is up (not the polling fallback).
      await console.locator('body[data-live="stream"]').waitFor({ timeout: 15_000 });

      const other = new ConsoleTestClient(processes.b.url());
      await other.signIn(STAFF_TOKEN);
      const changed = await other.post(`/tickets/${first.number}/status`, {
        status: 'pending',
        note: 'Logs?',
      });
      assert.equal(changed.status, 200);
      await row.locator('td', { hasText: 'pending' }).waitFor({ timeout: 15_000 });
      const second = (await tickets.create(completeTicket({ subject: 'Patch scan stuck' }), 'e2e-live-2'))
        .ticket;
      await console.locator('#queue-table tbody tr', { hasText: second.number }).waitFor({ timeout: 15_000 });
      assert.equal(await console.getAttribute('body', 'data-live'), 'stream');
      await console.close();
    } finally {
      await processes.stop();
    }
  });

  it('works on a phone (390 px) by keyboard alone, with every control labelled', async () => {
    const port = await start('e2e-console-phone');
    const { tickets } = await ticketFixture(app!.connection, () => new Date());
    const ticket = (await tickets.create(completeTicket(), 'e2e-phone-1')).ticket;
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'fr-FR' });
    await page.goto(`http://127.0.0.1:${port}/console`);
    const tabTo = async (predicate: string): Promise<void> => {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate(predicate)) return;
      }
      throw new Error(`focus never reached: ${predicate}`);
    };
    await tabTo("document.activeElement && document.activeElement.id === 'token'");
    await page.keyboard.type(STAFF_TOKEN);
    await page.keyboard.press('Enter');
    await page.locator('#staff-name', { hasText: 'Sam Support' }).waitFor({ timeout: 15_000 });
    const link = page.getByRole('link', { name: ticket.number });
    await link.waitFor({ timeout: 15_000 });
    await tabTo(`document.activeElement && document.activeElement.textContent === '${ticket.number}'`);
    await page.keyboard.press('Enter');
    // Opening a ticket moves the focus to its title, for screen readers.
    const focused = async () => await page.evaluate(() => document.activeElement?.id);
    for (let i = 0; i < 100 && (await focused()) !== 'ticket-title'; i++)
      await new Promise((r) => setTimeout(r, 100));
    assert.equal(await focused(), 'ticket-title');
    await page.locator('#ticket-fields dd', { hasText: 'https://rmm.northwind.example' }).waitFor();

    const layout = await page.evaluate(() => ({
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      lang: document.documentElement.lang,
      unlabelled: Array.from(document.querySelectorAll('input, select, textarea'))
        .filter((el) => (el as HTMLElement).offsetParent !== null)
        .filter((el) => {
          const control = el as HTMLInputElement;
          return !control.labels?.length && !control.getAttribute('aria-label');
        })
        .map((el) => el.id || el.outerHTML),
    }));
    // Text contrast (WCAG AA, 4.5:1) of every visible piece of text on the ticket view.
    const lowContrast = await page.evaluate<string[]>(LOW_CONTRAST_TEXT);
    assert.deepEqual(lowContrast, []);
    assert.ok(layout.overflow <= 0, `no sideways scrolling at 390 px (${layout.overflow} px too wide)`);
    assert.equal(layout.lang, 'fr');
    assert.deepEqual(layout.unlabelled, []);
    await page.screenshot({ path: 'test-results/e2e-console-phone.png' }).catch(() => undefined);
    await page.close();
  });
});
