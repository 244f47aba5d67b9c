import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { HelplineApp } from '../../bot';
import { freePort } from '../../services/db';
import { startTestApp, stopTestApp } from '../support/app';
import { launchBrowser } from '../support/browser';
import { click, openAsBob, seeMessage, staffCall, typeMessage } from '../support/webChatPage';

const STAFF_TOKEN = 'e2e-staff-token-0123456789';

describe('billing assistant in Chromium (end to end)', function () {
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

  it('takes a French billing dispute through the assistant’s buttons to a billing ticket number', async () => {
    // Arrange
    const port = await freePort();
    app = await startTestApp('e2e-billing-fr', {
      PORT: String(port),
      STAFF_API_TOKENS: `${STAFF_TOKEN}:staff-1:Sam Support`,
    });
    const page = await openAsBob(browser, app, port, 'fr-FR');
    await seeMessage(page, 'Bonjour, je suis Helpline', 20_000);

    // Act
    await click(page, 'Facturation et paiements');
    await seeMessage(page, 'Sur quoi porte votre question de facturation\u202f?');
    await click(page, 'Un montant facturé ou une contestation');
    await seeMessage(page, 'Décrivez votre question en une ou deux phrases');
    await typeMessage(page, 'Je conteste un prélèvement de 120 € sur la facture INV-2026-004512');
    await seeMessage(page, 'Cela répond-il à votre question\u202f?');
    await click(page, 'Non, ouvrir un ticket de facturation');
    await seeMessage(page, 'Je vais ouvrir un ticket pour notre équipe facturation.');
    // The invoice number, the amount and the description were all in the question: straight to the summary.
    await seeMessage(page, 'Votre demande de facturation');
    await seeMessage(page, 'INV-2026-004512');
    await click(page, 'Envoyer');
    const confirmation = page
      .locator('.webchat__text-content', { hasText: /Votre ticket de facturation HL-\d{6} est ouvert/ })
      .first();
    await confirmation.waitFor({ timeout: 20_000 });
    await seeMessage(page, 'En copie de ce ticket\u00a0: Morgan Lee (votre responsable de compte).');
    await page.waitForTimeout(500);
    await page.screenshot({ path: 'test-results/e2e-billing-fr.png' }).catch(() => undefined);

    // Assert
    const number = /HL-\d{6}/.exec(await confirmation.innerText())?.[0] ?? '';
    assert.match(number, /^HL-\d{6}$/);
    const { status, body } = await staffCall(port, STAFF_TOKEN, 'GET', `/tickets/${number}`);
    assert.equal(status, 200);
    const ticket = body.ticket as {
      type: string;
      module: string;
      locale: string;
      requester: { email: string };
      billing: { invoiceNumber?: string; amount?: number; currency?: string; topic?: string };
    };
    assert.equal(ticket.type, 'billing');
    assert.equal(ticket.module, 'billing');
    assert.equal(ticket.locale, 'fr');
    assert.equal(ticket.requester.email, 'bob@northwind.example');
    assert.deepEqual(
      { ...ticket.billing },
      { invoiceNumber: 'INV-2026-004512', amount: 120, currency: 'EUR', topic: 'dispute' },
    );
    await page.close();
  });
});
