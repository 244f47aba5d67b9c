import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { createApp, type HelplineApp } from '../../bot';
import { freePort } from '../../services/db';
import { createSilentLogger } from '../../services/logger';
import { startTestApp, stopTestApp } from '../support/app';
import { launchBrowser } from '../support/browser';
import { ENGLISH_TICKET, openAsBob, problemToTicket, seeMessage, typeMessage } from '../support/webChatPage';

describe('web chat in Chromium (end to end)', function () {
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

  it('renders the welcome card, answers a typed message, and keeps the conversation across a restart', async () => {
    const port = await freePort();
    app = await startTestApp('e2e-basic', { PORT: String(port) });
    const page = await browser.newPage({ locale: 'en-US' });
    await page.goto(`http://127.0.0.1:${port}/`);

    await page.getByText('Hi, I am Helpline').waitFor({ timeout: 20_000 });
    assert.ok(await page.locator('.ac-pushButton', { hasText: 'Open a technical ticket' }).isVisible());

    await typeMessage(page, 'hello');
    await seeMessage(page, 'hello');
    await seeMessage(page, 'Here is what I can do');

    // Restart the server on the same port and database: the conversation goes on.
    const config = app.config;
    await app.stop();
    app = await createApp(config, { logger: createSilentLogger() });
    await app.listen();

    await page.reload();
    await seeMessage(page, 'Here is what I can do', 20_000);
    await typeMessage(page, 'help');
    await seeMessage(page, 'help');
    await page.waitForFunction(
      () => document.body.innerText.split('Here is what I can do').length - 1 >= 2,
      null,
      {
        timeout: 15_000,
      },
    );
    await page.screenshot({ path: 'test-results/e2e-basic.png' }).catch(() => undefined);
    await page.close();
  });

  it('goes from "my agent is offline" through the article cards (Not solved) to a ticket number, in English', async () => {
    const port = await freePort();
    await stopTestApp(app);
    app = await startTestApp('e2e-intake-en', { PORT: String(port) });
    const page = await openAsBob(browser, app, port, 'en-US');
    const number = await problemToTicket(page, ENGLISH_TICKET);
    await page.screenshot({ path: 'test-results/e2e-intake-en-US.png' }).catch(() => undefined);
    await page.close();
    assert.match(number, /^HL-\d{6}$/);
  });

  it('does the same in French', async () => {
    const port = await freePort();
    await stopTestApp(app);
    app = await startTestApp('e2e-intake-fr', { PORT: String(port) });
    const page = await openAsBob(browser, app, port, 'fr-FR');
    const number = await problemToTicket(page, {
      problem: 'mon agent est hors ligne',
      articleTitle: 'hors ligne',
      notSolved: 'Non résolu, ouvrir un ticket',
      severity: '2 – Majeure',
      submit: 'Envoyer',
      opened: /Votre ticket HL-\d+ est ouvert/,
    });
    await page.screenshot({ path: 'test-results/e2e-intake-fr-FR.png' }).catch(() => undefined);
    await page.close();
    assert.match(number, /^HL-\d{6}$/);
  });
});
