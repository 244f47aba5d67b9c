import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { HelplineApp } from '../../bot';
import { freePort } from '../../services/db';
import { startTestApp, stopTestApp } from '../support/app';
import { launchBrowser } from '../support/browser';
import { assertNoMarkupFrom, click, openAsBob, seeMessage, typeMessage } from '../support/webChatPage';

const PHONE = { width: 390, height: 844 };

/** Whether the element is inside the viewport horizontally and can be scrolled into view. */
async function reachable(page: Page, selector: string, text: string): Promise<boolean> {
  const element = page.locator(selector, { hasText: text }).last();
  if (!(await element.isVisible())) return false;
  await element.scrollIntoViewIfNeeded();
  const box = await element.boundingBox();
  return (
    !!box &&
    box.x >= 0 &&
    box.x + box.width <= PHONE.width &&
    box.y >= 0 &&
    box.y + box.height <= PHONE.height
  );
}

async function noSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  assert.ok(scrollWidth <= clientWidth, `the page scrolls sideways: ${scrollWidth} > ${clientWidth}`);
}

describe('the chat page on a phone (390 × 844, Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let app: HelplineApp | undefined;
  let port: number;

  before(async () => {
    browser = await launchBrowser();
    port = await freePort();
    app = await startTestApp('e2e-phone', { PORT: String(port) });
  });
  after(async () => {
    await browser?.close();
    await stopTestApp(app);
  });

  it('has no sideways scroll, shows the whole demo-user menu and every module button, and card labels whole', async () => {
    const page = await browser.newPage({ locale: 'en-US', viewport: PHONE });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.locator('.ac-pushButton').first().waitFor({ timeout: 20_000 });
    const menu = page.locator('#signin');
    await menu.waitFor({ state: 'visible', timeout: 15_000 });
    await noSidewaysScroll(page);
    const box = await menu.boundingBox();
    assert.ok(box, 'the demo-user menu is shown');
    assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width, `menu at ${box.x}..${box.x + box.width}`);
    assert.ok(box.y >= 0 && box.y + box.height <= PHONE.height);

    // Signed in as a demo contact, "Open a technical ticket" asks for the module: all six, on screen.
    await menu.selectOption({ label: 'Bob Singh <bob@northwind.example>' });
    await page.locator('.ac-pushButton', { hasText: 'Open a technical ticket' }).waitFor({ timeout: 20_000 });
    // The welcome card's buttons show their whole label (none cut with an ellipsis).
    for (const button of await page.locator('.ac-pushButton').all()) {
      const cut = await button.evaluate((el) =>
        [el, ...Array.from(el.querySelectorAll('*'))].some((node) => node.scrollWidth > node.clientWidth + 1),
      );
      assert.ok(!cut, `"${await button.innerText()}" is cut`);
    }
    await click(page, 'Open a technical ticket');
    await seeMessage(page, 'Which module');
    const modules = [
      'Remote monitoring agent',
      'Remote control',
      'Patch management',
      'Backup and recovery',
      'Network monitoring',
      'Partner portal',
    ];
    for (const name of modules) {
      assert.ok(await reachable(page, '.webchat__suggested-action', name), `"${name}" is not reachable`);
    }
    await noSidewaysScroll(page);
    await page.screenshot({ path: 'test-results/e2e-phone-modules.png' }).catch(() => undefined);
    await page.close();
  });

  it('shows typed steps as a list and labels on their own line in the summary, and keeps a hostile subject and description as plain text', async () => {
    const page = await openAsBob(browser, app!, port, 'en-US', PHONE);
    await typeMessage(
      page,
      'I need to open a ticket: <img src=x onerror=alert(1)> **bold** [link](http://evil.example) the nightly backup job fails on our file server every night with a VSS error. ' +
        'Server https://backup.northwind.example, version 7.1.4. Steps: 1. Open the console 2. Start the nightly job 3. Watch the log. SN: 5CG1234XYZ, device: 10452',
    );
    await click(page, '3 – Moderate');
    await seeMessage(page, 'Steps to reproduce', 20_000);
    const summary = page.locator('.ac-adaptiveCard', { hasText: 'Steps to reproduce' }).last();
    await summary.waitFor();
    // Each step on its own line, numbered.
    for (const step of ['1. Open the console', '2. Start the nightly job', '3. Watch the log'])
      await summary.locator('.ac-richTextBlock', { hasText: step }).first().waitFor({ timeout: 5_000 });
    // The hostile text is shown as typed…
    await summary.getByText('<img src=x onerror=alert(1)>', { exact: false }).first().waitFor();
    await summary.getByText('**bold**', { exact: false }).first().waitFor();
    // …and nothing in the page was made from it.
    await assertNoMarkupFrom(page, { link: 'http://evil.example', bold: 'bold' });
    // The link's target is not taken for the server: the address named as the server is.
    await summary.getByText('https://backup.northwind.example', { exact: true }).first().waitFor();
    // A label never shares its line with a value: each is a block of its own (measured at once,
    // as the transcript may still scroll).
    const labels = ['Module', 'Subject', 'Description', 'Severity', 'Steps to reproduce', 'Product version'];
    const sharing = await summary.evaluate((card, names) => {
      const values = Array.from(card.querySelectorAll('.ac-richTextBlock')).map((v) =>
        v.getBoundingClientRect(),
      );
      return names.flatMap((name) => {
        const label = Array.from(card.querySelectorAll('.ac-textBlock')).find(
          (el) => (el.textContent ?? '').trim() === name,
        );
        if (!label) return [`${name} (missing)`];
        const l = label.getBoundingClientRect();
        return values.some((v) => v.top < l.bottom - 1 && v.bottom > l.top + 1) ? [name] : [];
      });
    }, labels);
    assert.deepEqual(sharing, [], 'labels sharing a line with a value');
    await noSidewaysScroll(page);
    await page
      .screenshot({ path: 'test-results/e2e-phone-summary.png', fullPage: true })
      .catch(() => undefined);
    await page.close();
  });

  it('on a French page, writes message times on a 24-hour clock', async () => {
    const page = await openAsBob(browser, app!, port, 'fr-FR', PHONE, 'Europe/Paris');
    await typeMessage(page, 'bonjour');
    const stamp = page.locator('.helpline-sent-at:not(.helpline-sent-at--hidden)').last();
    await stamp.waitFor({ timeout: 15_000 });
    const text = await stamp.innerText();
    assert.match(text, /^Envoyé le \d{1,2} \p{L}+ à \d{1,2}:\d{2}$/u, text);
    assert.doesNotMatch(text, /AM|PM/);
    await noSidewaysScroll(page);
    await page.close();
  });
});
