import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Frame, Page } from 'playwright-core';
import type { HelplineApp } from '../../bot';
import { DEMO_CONTACTS, DEMO_TENANTS } from '../../services/identity';
import { completeTicket, ticketFixture, type TicketFixture } from '../services/tickets/fixtures';
import { startTestApp, stopTestApp } from '../support/app';
import { launchBrowser } from '../support/browser';
import { EntraStandIn, ssoEnv } from '../support/entraStandIn';

/** What the test host hands the tab, as Teams would. */
interface HostSession {
  token: string | null;
  locale: string;
  theme: 'default' | 'dark' | 'contrast';
  subEntityId?: string;
  user: { oid: string; upn: string; tid: string };
}

/**
 * A page standing in for the Teams client: it frames the real tab and answers TeamsJS's
 * postMessage protocol (initialize, getContext, authentication.getAuthToken, themeChange), the
 * way the Teams web client does, with the SSO token the test gives it.
 */
const HOST_SCRIPT = `
  const session = JSON.parse(document.getElementById('session').textContent);
  const frame = document.getElementById('tab');
  const tabOrigin = new URL(session.tabUrl).origin;
  window.hostLog = [];
  const runtime = {
    apiVersion: 4,
    hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } },
    isLegacyTeams: false,
    supports: { appEntity: {}, pages: { appButton: {}, tabs: {}, config: {}, backStack: {}, fullTrust: {} }, teams: { fullTrust: {} }, teamsCore: {} },
  };
  window.addEventListener('message', (event) => {
    if (event.source !== frame.contentWindow || event.origin !== tabOrigin) return;
    const m = event.data;
    if (!m || typeof m !== 'object' || typeof m.func !== 'string') return;
    window.hostLog.push(m.func);
    const reply = (args) => event.source.postMessage({ id: m.id, uuidAsString: m.uuidAsString, args }, event.origin);
    switch (m.func) {
      case 'initialize':
        return reply(['content', 'web', JSON.stringify(runtime), '2.58.0']);
      case 'getContext':
        return reply([{
          locale: session.locale, theme: session.theme, entityId: 'myRequests', subEntityId: session.subEntityId,
          userObjectId: session.user.oid, userPrincipalName: session.user.upn, loginHint: session.user.upn,
          tid: session.user.tid, hostClientType: 'web', frameContext: 'content', hostName: 'Teams',
        }]);
      case 'authentication.getAuthToken':
        return reply(session.token ? [true, session.token] : [false, 'resourceRequiresConsent']);
      default:
        return reply([]);
    }
  });
  window.changeTheme = (theme) => frame.contentWindow.postMessage({ func: 'themeChange', args: [theme] }, tabOrigin);
  frame.src = session.tabUrl;
`;

class TeamsHostStandIn {
  private server: Server | undefined;
  private sessions = new Map<string, HostSession & { tabUrl: string }>();
  private seq = 0;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const session = this.sessions.get((req.url ?? '').replace(/^\/host\//, ''));
      if (!session) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html><body style="margin:0">
        <script type="application/json" id="session">${JSON.stringify(session).replace(/</g, '\\u003c')}</script>
        <iframe id="tab" title="Helpline" style="width:100%;height:900px;border:0"></iframe>
        <script>${HOST_SCRIPT}</script></body></html>`);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this.origin();
  }

  origin(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** A page of the host showing the tab at `tabUrl` for this session. */
  url(tabUrl: string, session: HostSession): string {
    const id = String(++this.seq);
    this.sessions.set(id, { ...session, tabUrl });
    return `${this.origin()}/host/${id}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

describe('The My requests tab in Chromium, inside a Teams host (end to end)', function () {
  this.timeout(120_000);
  const entra = new EntraStandIn();
  const host = new TeamsHostStandIn();
  let browser: Browser;
  let app: HelplineApp;
  let fixture: TicketFixture;
  const tickets = { first: '', second: '', contoso: '', markup: '' };

  before(async () => {
    browser = await launchBrowser();
    await entra.start();
    const hostOrigin = await host.start();
    app = await startTestApp('e2e-teams-tab', {
      ...ssoEnv(entra),
      TEAMS_TAB_DEV_ORIGINS: hostOrigin,
      LIFECYCLE_JOB: 'false',
    });
    fixture = await ticketFixture(app.connection, () => new Date());
    const create = async (
      subject: string,
      key: string,
      contact: string = DEMO_CONTACTS.bob.id,
    ): Promise<string> =>
      (await fixture.tickets.create(completeTicket({ subject, requesterContactId: contact }), key)).ticket
        .number;
    tickets.first = await create('Backup job fails every night', 'e2e-tab-first');
    tickets.second = await create('Patch scan shows devices out of date', 'e2e-tab-second');
    tickets.markup = await create('<img src=x onerror="window.pwned=1"> **bold** subject', 'e2e-tab-markup');
    tickets.contoso = await create('Contoso private outage', 'e2e-tab-contoso', DEMO_CONTACTS.claire.id);
  });
  after(async () => {
    await browser?.close();
    await stopTestApp(app);
    await host.stop();
    await entra.stop();
  });

  const bob = {
    oid: DEMO_CONTACTS.bob.aadObjectId,
    upn: DEMO_CONTACTS.bob.email,
    tid: DEMO_TENANTS.northwind,
  };

  async function bobToken(
    extra: Parameters<EntraStandIn['token']>[0] extends infer T ? Partial<T> : never = {},
  ) {
    return await entra.token({
      tenantId: bob.tid,
      aadObjectId: bob.oid,
      email: bob.upn,
      name: 'Bob Singh',
      ...extra,
    });
  }

  async function openTab(
    session: Partial<HostSession> & { token: string | null },
  ): Promise<{ page: Page; tab: Frame }> {
    const page = await browser.newPage();
    const url = host.url(`${app.url()}/teams/tab`, {
      locale: 'en-us',
      theme: 'default',
      user: bob,
      ...session,
    });
    await page.goto(url);
    const handle = await page.waitForSelector('#tab');
    const tab = await handle.contentFrame();
    assert.ok(tab);
    return { page, tab };
  }

  const numbersShown = async (tab: Frame): Promise<string[]> =>
    (
      await tab
        .locator('#tickets li button')
        .evaluateAll((buttons) => buttons.map((b) => (b as HTMLElement).dataset.number ?? ''))
    ).sort();

  it('signs in with the Teams SSO token and lists the contact’s requests, never another organisation’s', async () => {
    const { page, tab } = await openTab({ token: await bobToken() });
    await tab.locator('#who', { hasText: 'Bob Singh · Northwind IT Services' }).waitFor({ timeout: 20_000 });
    await tab.locator('#tickets li').first().waitFor();
    assert.deepEqual(await numbersShown(tab), [tickets.first, tickets.second, tickets.markup].sort());
    await tab.locator('#scopes button', { hasText: 'My organisation' }).click();
    await tab.locator('#count', { hasText: 'of 3' }).waitFor();
    assert.ok(!(await numbersShown(tab)).includes(tickets.contoso));
    assert.equal(
      await tab
        .locator('body')
        .innerText()
        .then((text) => text.includes('Contoso private outage')),
      false,
    );
    const log = await page.evaluate<string[]>('window.hostLog');
    assert.deepEqual(
      log.filter((func) => ['initialize', 'getContext', 'authentication.getAuthToken'].includes(func)),
      ['initialize', 'getContext', 'authentication.getAuthToken'],
    );
    await page.screenshot({ path: 'test-results/e2e-teams-tab-list.png' }).catch(() => undefined);
    await page.close();
  });

  it('shows typed text as text: a subject with markup stays those characters', async () => {
    const { page, tab } = await openTab({ token: await bobToken() });
    const row = tab.locator(`#tickets button[data-number="${tickets.markup}"]`);
    await row.waitFor({ timeout: 20_000 });
    assert.match(await row.innerText(), /<img src=x onerror="window\.pwned=1"> \*\*bold\*\* subject/);
    assert.equal(await tab.locator('#tickets img').count(), 0);
    assert.equal(await tab.evaluate('window.pwned'), undefined);
    await page.close();
  });

  it('filters, searches, opens a ticket with its timeline and adds a comment', async () => {
    const { page, tab } = await openTab({ token: await bobToken() });
    await tab.locator('#tickets li').first().waitFor({ timeout: 20_000 });
    await tab.locator('#search').fill('patch scan');
    await tab.locator('#search-button').click();
    await tab.locator('#count', { hasText: '1 of 1' }).waitFor();
    assert.deepEqual(await numbersShown(tab), [tickets.second]);
    await tab.locator('#status-filter').selectOption('closed');
    await tab.locator('#search-button').click();
    await tab.locator('#message', { hasText: 'No request matches these filters.' }).waitFor();

    await tab.locator('#status-filter').selectOption('all');
    await tab.locator('#search').fill('');
    await tab.locator('#search-button').click();
    await tab.locator(`#tickets button[data-number="${tickets.first}"]`).click();
    await tab.locator('#ticket-subject', { hasText: 'Backup job fails every night' }).waitFor();
    await tab.locator('#timeline li', { hasText: 'Bob Singh opened the ticket' }).waitFor();

    await tab.locator('#comment').fill('It failed again last night at 02:00.');
    await tab.locator('#send').click();
    await tab
      .locator('#timeline li', { hasText: 'Bob Singh wrote: It failed again last night at 02:00.' })
      .waitFor();
    await tab.locator('#message', { hasText: `Your comment was added to ${tickets.first}` }).waitFor();
    const stored = await fixture.tickets.getForViewer(tickets.first, await fixture.viewer('bob'));
    assert.equal(stored.kind, 'found');
    assert.deepEqual(
      stored.kind === 'found'
        ? stored.ticket.timeline.filter((e) => e.type === 'comment').map((e) => e.data.text)
        : [],
      ['It failed again last night at 02:00.'],
    );
    await page.screenshot({ path: 'test-results/e2e-teams-tab-ticket.png' }).catch(() => undefined);
    await page.close();
  });

  it('follows the Teams theme and locale, and opens the ticket a deep link names', async () => {
    const { page, tab } = await openTab({
      token: await bobToken(),
      locale: 'fr-fr',
      theme: 'dark',
      subEntityId: tickets.second,
    });
    await tab
      .locator('#ticket-subject', { hasText: 'Patch scan shows devices out of date' })
      .waitFor({ timeout: 20_000 });
    assert.equal(await tab.locator('html').getAttribute('data-theme'), 'dark');
    assert.equal(await tab.locator('#title').innerText(), 'Mes demandes');
    assert.equal(await tab.locator('#back').innerText(), 'Retour à la liste');
    await page.evaluate("window.changeTheme('contrast')");
    await tab.locator('html[data-theme="contrast"]').waitFor();
    await page.screenshot({ path: 'test-results/e2e-teams-tab-contrast-fr.png' }).catch(() => undefined);
    await page.close();
  });

  it('refuses a forged or an expired token: the tab says so and shows no request', async () => {
    for (const token of [await bobToken({ forged: true }), await bobToken({ expiresIn: -600 })]) {
      const { page, tab } = await openTab({ token });
      await tab
        .locator('#message', { hasText: 'Teams could not sign you in to Helpline' })
        .waitFor({ timeout: 20_000 });
      assert.equal(await tab.locator('#tickets li').count(), 0);
      assert.equal(await tab.locator('#list-view').isHidden(), true);
      await page.close();
    }
  });

  it('says so when Teams gives no token', async () => {
    const { page, tab } = await openTab({ token: null });
    await tab
      .locator('#message', { hasText: 'Teams could not sign you in to Helpline' })
      .waitFor({ timeout: 20_000 });
    await page.close();
  });

  it('says plainly that it belongs in Teams when opened on its own', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url()}/teams/tab`);
    await page
      .locator('#message', { hasText: 'Open Helpline in Teams to see your requests there.' })
      .waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('#list-view').isHidden(), true);
    await page.close();
  });
});
