import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { HelplineApp } from '../../bot';

/** Waits for a message bubble or card text holding `text` in the transcript. */
export async function seeMessage(page: Page, text: string | RegExp, timeout = 15_000): Promise<void> {
  await page.locator('.webchat__text-content, .ac-textBlock', { hasText: text }).first().waitFor({ timeout });
}

/** Types into Web Chat's send box and sends. */
export async function typeMessage(page: Page, text: string): Promise<void> {
  const input = page.locator('[data-id="webchat-sendbox-input"]');
  await input.click();
  await input.fill(text);
  await input.press('Enter');
}

/** Clicks the latest suggested action or card button with exactly this title. */
export async function click(page: Page, title: string): Promise<void> {
  const exact = new RegExp(`^\\s*${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  const button = page.locator('.webchat__suggested-action, .ac-pushButton').filter({ hasText: exact }).last();
  await button.waitFor({ timeout: 15_000 });
  await button.click();
}

/** The page at `/` as Bob, signed in by a user token as the support site would pass it. */
export async function openAsBob(
  browser: Browser,
  app: HelplineApp,
  port: number,
  locale: string,
  viewport?: { width: number; height: number },
  timezoneId?: string,
): Promise<Page> {
  const token = await app.userTokens!.sign({
    subject: 'demo-bob',
    email: 'bob@northwind.example',
    name: 'Bob Singh',
  });
  const page = await browser.newPage({
    locale,
    ...(viewport && { viewport }),
    ...(timezoneId && { timezoneId }),
  });
  await page.goto(`http://127.0.0.1:${port}/?userToken=${encodeURIComponent(token)}`);
  await page.locator('.ac-pushButton').first().waitFor({ timeout: 20_000 });
  return page;
}

export interface TicketScript {
  problem: string;
  articleTitle: string;
  notSolved: string;
  severity: string;
  submit: string;
  opened: RegExp;
}

export const ENGLISH_TICKET: TicketScript = {
  problem: 'my agent is offline',
  articleTitle: 'Agent shows as offline in the console',
  notSolved: 'Not solved, open a ticket',
  severity: '2 – Major',
  submit: 'Submit',
  opened: /Your ticket HL-\d{6} is open/,
};

/** From a problem through the article cards (Not solved) to the ticket number, in this page. */
export async function problemToTicket(page: Page, script: TicketScript): Promise<string> {
  await typeMessage(page, script.problem);
  await seeMessage(page, script.articleTitle);
  await click(page, script.notSolved);
  await click(page, script.severity);
  for (const answer of [
    'https://rmm.northwind.example',
    '1. Open the console 2. Look at the device list',
    'SN: 5CG1234XYZ, device: 10452',
  ]) {
    await typeMessage(page, answer);
    await page.waitForTimeout(300);
  }
  await typeMessage(page, '9.5.2');
  await click(page, script.submit);
  const confirmation = page.locator('.webchat__text-content', { hasText: script.opened }).first();
  await confirmation.waitFor({ timeout: 20_000 });
  return /HL-\d{6}/.exec(await confirmation.innerText())?.[0] ?? '';
}

/**
 * Asserts that text shown in Web Chat made no element: no image from `<img src=x …>`, no link to
 * `link`, no bold from `**bold**`. Staff replies and intake summaries are checked the same way.
 */
export async function assertNoMarkupFrom(page: Page, from: { link: string; bold: string }): Promise<void> {
  assert.equal(await page.locator('img[src="x"]').count(), 0, 'an image was made from the text');
  const href = from.link.replace(/\/$/, '');
  assert.equal(
    await page.locator(`a[href="${href}"], a[href="${href}/"]`).count(),
    0,
    'a link was made from the text',
  );
  assert.equal(
    await page.locator('strong, b', { hasText: new RegExp(`^${from.bold}$`) }).count(),
    0,
    'bold was made from the text',
  );
}

/** A call to the staff API with a bearer token. */
export async function staffCall(
  port: number,
  token: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${port}/api/staff${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
