import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { createApp, type HelplineApp } from '../../bot';
import { freePort } from '../../services/db';
import { createSilentLogger } from '../../services/logger';
import { startTestApp, stopTestApp } from '../support/app';
import { launchBrowser } from '../support/browser';

/** Waits for a message bubble holding `text` in the transcript. */
async function seeMessage(page: Page, text: string, timeout = 15_000): Promise<void> {
  await page.locator('.webchat__text-content', { hasText: text }).first().waitFor({ timeout });
}

async function typeMessage(page: Page, text: string): Promise<void> {
  const input = page.locator('[data-id="webchat-sendbox-input"]');
  await input.click();
  await input.fill(text);
  await input.press('Enter');
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

    await typeMessage(page, 'hello from the browser');
    await seeMessage(page, 'hello from the browser');
    await seeMessage(page, 'I am not sure I understood');

    // Restart the server on the same port and database: the conversation goes on.
    const config = app.config;
    await app.stop();
    app = await createApp(config, { logger: createSilentLogger() });
    await app.listen();

    await page.reload();
    await seeMessage(page, 'hello from the browser', 20_000);
    await typeMessage(page, 'and after the restart?');
    await seeMessage(page, 'and after the restart?');
    await page.waitForFunction(() => document.body.innerText.split('I am not sure I understood').length - 1 >= 2, null, {
      timeout: 15_000,
    });
    await page.screenshot({ path: 'test-results/e2e-basic.png' }).catch(() => undefined);
  });
});
