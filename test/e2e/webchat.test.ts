import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { createApp, type HelplineApp } from '../../bot';
import { freePort } from '../../services/db';
import { createSilentLogger } from '../../services/logger';
import { startTestApp, stopTestApp } from '../support/app';
import { launchBrowser } from '../support/browser';

/** Waits for a message bubble holding `text` in the transcript. */
async function seeMessage(page: Page, text: string, timeout = 15_000): Promise<void> {
  await page.locator('.webchat__text-content, .ac-textBlock', { hasText: text }).first().waitFor({ timeout });
}

async function typeMessage(page: Page, text: string): Promise<void> {
  const input = page.locator('[data-id="webchat-sendbox-input"]');
  await input.click();
  await input.fill(text);
  await input.press('Enter');
}

/** Clicks a suggested action or card button by its title. */
async function click(page: Page, title: string): Promise<void> {
  const button = page.locator(`.webchat__suggested-action, .ac-pushButton`, { hasText: title }).last();
  await button.waitFor({ timeout: 15_000 });
  await button.click();
}

interface IntakeScript {
  locale: string;
  problem: string;
  articleTitle: string;
  notSolved: string;
  severity: string;
  submit: string;
  opened: RegExp;
}

/** From a problem through the knowledge base (Not solved) to a ticket number, as a signed-in user. */
async function problemToTicket(
  browser: Browser,
  port: number,
  app: HelplineApp,
  script: IntakeScript,
): Promise<string> {
  const token = await app.userTokens!.sign({
    subject: 'demo-bob',
    email: 'bob@northwind.example',
    name: 'Bob Singh',
  });
  const page = await browser.newPage({ locale: script.locale });
  await page.goto(`http://127.0.0.1:${port}/?userToken=${encodeURIComponent(token)}`);
  await page.locator('.ac-pushButton').first().waitFor({ timeout: 20_000 });
  await typeMessage(page, script.problem);
  await seeMessage(page, script.articleTitle);
  await click(page, script.notSolved);
  await click(page, script.severity);
  await typeMessage(page, 'https://rmm.northwind.example');
  await page.waitForTimeout(300);
  await typeMessage(page, '1. Open the console 2. Look at the device list');
  await page.waitForTimeout(300);
  await typeMessage(page, 'SN: 5CG1234XYZ, device: 10452');
  await page.waitForTimeout(300);
  await typeMessage(page, '9.5.2');
  await click(page, script.submit);
  const confirmation = page.locator('.webchat__text-content', { hasText: script.opened }).first();
  await confirmation.waitFor({ timeout: 20_000 });
  const text = await confirmation.innerText();
  await page.screenshot({ path: `test-results/e2e-intake-${script.locale}.png` }).catch(() => undefined);
  await page.close();
  return /HL-\d+/.exec(text)?.[0] ?? '';
}

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
    const number = await problemToTicket(browser, port, app, {
      locale: 'en-US',
      problem: 'my agent is offline',
      articleTitle: 'Agent shows as offline in the console',
      notSolved: 'Not solved, open a ticket',
      severity: '2 – Major',
      submit: 'Submit',
      opened: /Your ticket HL-\d+ is open/,
    });
    assert.match(number, /^HL-\d{6}$/);
  });

  it('does the same in French', async () => {
    const port = await freePort();
    await stopTestApp(app);
    app = await startTestApp('e2e-intake-fr', { PORT: String(port) });
    const number = await problemToTicket(browser, port, app, {
      locale: 'fr-FR',
      problem: 'mon agent est hors ligne',
      articleTitle: 'hors ligne',
      notSolved: 'Non résolu, ouvrir un ticket',
      severity: '2 – Majeure',
      submit: 'Envoyer',
      opened: /Votre ticket HL-\d+ est ouvert/,
    });
    assert.match(number, /^HL-\d{6}$/);
  });
});
