import assert from 'node:assert/strict';
import { billingSummaryCard } from '../../../dialogs/cards/billingCards';
import { splitSteps, stepsMarkdown } from '../../../dialogs/cards/fieldBlocks';
import { requestListCard, ticketCard } from '../../../dialogs/cards/requestCards';
import {
  decideLocale,
  plainText,
  readChoice,
  readCommand,
  readInput,
  readWelcomeAction,
  readYesNo,
} from '../../../dialogs/input';
import { StaticProductCatalogue } from '../../../services/catalogue';
import type { Ticket } from '../../../services/tickets';

const HOSTILE = '<img src=x onerror=alert(1)> restore **fails** [click](https://evil.example)';

/** Every string a card shows (texts, fact titles and values). */
function cardStrings(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(cardStrings);
  if (!node || typeof node !== 'object') return [];
  const o = node as Record<string, unknown>;
  // An input box shows its value as typed text, never as markup.
  if (typeof o.type === 'string' && o.type.startsWith('Input.')) return [];
  const own = ['text', 'value', 'title'].flatMap((key) => (typeof o[key] === 'string' ? [o[key]] : []));
  return [...own, ...Object.values(o).flatMap((v) => (typeof v === 'object' ? cardStrings(v) : []))];
}

/** True when a markdown/HTML renderer would make markup of this text. */
function hasLiveMarkup(text: string): boolean {
  const unescaped = text.replace(/\\[\\`*_{}[\]()<>#+\-.!|~&:@]/g, '');
  return /<img|\*\*fails\*\*|\]\(https|https:\/\//.test(unescaped);
}

describe('the input layer', () => {
  describe('commands', () => {
    const cases: Array<[string, string | undefined]> = [
      ['cancel', 'cancel'],
      [' Cancel. ', 'cancel'],
      ['annuler', 'cancel'],
      ['Annuler !', 'cancel'],
      ['cancel please', 'cancel'],
      ['help', 'help'],
      ['aide', 'help'],
      ['à l’aide', 'help'],
      ['start over', 'start_over'],
      ['recommencer', 'start_over'],
      ['back', 'back'],
      ['retour', 'back'],
      ['menu', 'menu'],
      ['menu principal', 'menu'],
      ['cancel my renewal', undefined],
      ['I need help with an invoice', undefined],
      ['the restore fails, help', undefined],
      ['go back to the office and restart the agent', undefined],
    ];
    for (const [text, expected] of cases) {
      it(`reads "${text}" as ${expected ?? 'an answer'}`, () => {
        assert.equal(readCommand(text), expected);
      });
    }
  });

  it('reads yes and no in both languages, politeness aside; a longer answer is neither', () => {
    for (const yes of ['yes', 'Yes please', 'oui', 'Oui merci', "d'accord", 'D’accord', 'ok'])
      assert.equal(readYesNo(yes), true, yes);
    for (const no of ['no', 'No thanks', 'non', 'non merci', 'pas vraiment'])
      assert.equal(readYesNo(no), false, no);
    for (const other of ['no, open a ticket', 'my requests', 'yes the agent is offline'])
      assert.equal(readYesNo(other), undefined, other);
  });

  it('reads a choice by its label or words, ignoring case, accents and punctuation', () => {
    const options = [
      { value: 'solved', words: ['Solved', 'résolu'] },
      { value: 'again', words: ['Search again', 'chercher à nouveau'] },
    ] as const;
    assert.equal(readChoice('RESOLU !', options), 'solved');
    assert.equal(readChoice('chercher a nouveau', options), 'again');
    assert.equal(readChoice('solved it yesterday but it came back', options), undefined);
  });

  it("reads the welcome card's buttons by value and by label in either language", () => {
    assert.equal(readWelcomeAction({ helpline: 'billing' }), 'billing');
    assert.equal(readWelcomeAction(undefined, 'My requests'), 'my_requests');
    assert.equal(readWelcomeAction(undefined, 'État des services'), 'service_status');
    assert.equal(readWelcomeAction({ helpline: 'nope' }), undefined);
    assert.deepEqual(readInput({ text: 'Facturation et paiements' }), { kind: 'welcome', action: 'billing' });
    assert.deepEqual(readInput({ text: 'annuler' }), { kind: 'command', command: 'cancel', text: 'annuler' });
  });

  it('keeps the language for keywords and changes it for a whole sentence or a request', () => {
    assert.deepEqual(decideLocale('en', 'remote control black screen'), { locale: 'en' });
    assert.deepEqual(decideLocale('en', 'KB5034441 0x80070002'), { locale: 'en' });
    assert.deepEqual(decideLocale('en', 'mon agent ne remonte plus dans la console depuis ce matin'), {
      locale: 'fr',
      change: 'written',
    });
    assert.deepEqual(decideLocale('fr', 'in English please'), { locale: 'en', change: 'asked' });
  });
});

describe('user text in cards is plain text (issue 9 item 5)', () => {
  const catalogue = new StaticProductCatalogue();
  const now = new Date('2026-11-16T10:00:00Z');
  const ticket: Ticket = {
    id: 't1',
    number: 'HL-100001',
    sequence: 1,
    type: 'technical',
    subject: HOSTILE,
    description: HOSTILE,
    expectedResult: HOSTILE,
    severity: 2,
    priority: 'High',
    module: 'backup',
    serverUrl: 'https://evil.example/<script>',
    stepsToReproduce: `1. ${HOSTILE} 2. Click **Restore** 3. See <b>error</b>`,
    devices: [{ serialNumber: HOSTILE, deviceNumber: '10452' }],
    productVersion: '9.5.2 <i>x</i>',
    requester: { contactId: 'c', name: HOSTILE, email: 'bob@northwind.example' },
    organisationId: 'o',
    organisationName: HOSTILE,
    ccs: ['x@evil.example'],
    channel: 'webchat',
    articlesTried: [{ key: 'agent-offline', title: HOSTILE, url: 'https://evil.example' }],
    status: 'open',
    missingInformation: [],
    expectedFirstResponse: now,
    triagePriority: false,
    escalated: true,
    timeline: [
      {
        type: 'comment',
        visibility: 'public',
        at: now,
        by: { kind: 'staff', id: 's', name: HOSTILE },
        data: { text: HOSTILE },
      },
    ],
    idempotencyKey: 'k',
    createdAt: now,
    updatedAt: now,
    remindersSent: 0,
  } as unknown as Ticket;

  for (const locale of ['en', 'fr'] as const) {
    it(`the ticket card (${locale}) shows every field as typed, with no live markup`, () => {
      const card = ticketCard(ticket, { locale, catalogue, now, reopenWindowDays: 7, autoResolveDays: 10 });
      const strings = cardStrings(card.content);
      for (const text of strings) assert.equal(hasLiveMarkup(text), false, text);
      const all = strings.join('\n');
      assert.match(all, locale === 'en' ? /Server URL/ : /URL du serveur/);
      assert.match(all, locale === 'en' ? /Product version/ : /Version du produit/);
      assert.match(all, locale === 'en' ? /Steps to reproduce/ : /Étapes pour reproduire/);
      assert.match(all, locale === 'en' ? /Articles already tried/ : /Articles déjà consultés/);
      assert.match(all, /^1\. .*\n2\. Click \\\*\\\*Restore\\\*\\\*\n3\. /m);
      assert.equal(JSON.stringify(card.content).includes('"type":"FactSet"'), false);
      // Escalation already requested: not offered again.
      assert.equal(JSON.stringify(card.content).includes('"escalate"'), false);
    });

    it(`the list card (${locale}) shows subjects as typed`, () => {
      const card = requestListCard(
        { items: [ticket], total: 1, page: 1, pageSize: 5 },
        {
          locale,
          scope: 'mine',
          status: 'all',
          text: HOSTILE,
          organisationName: HOSTILE,
          canSeeOrganisation: true,
          now,
        },
      );
      for (const text of cardStrings(card.content)) assert.equal(hasLiveMarkup(text), false, text);
    });

    it(`the billing summary (${locale}) shows the description as typed`, () => {
      const card = billingSummaryCard(
        {
          draftId: 'd',
          topic: 'other',
          organisationName: HOSTILE,
          invoiceNumber: HOSTILE,
          description: HOSTILE,
          copied: [HOSTILE],
        },
        locale,
      );
      for (const text of cardStrings(card.content)) assert.equal(hasLiveMarkup(text), false, text);
    });
  }

  it('plainText escapes every markup character and keeps the words', () => {
    const escaped = plainText(HOSTILE);
    assert.equal(hasLiveMarkup(escaped), false);
    assert.equal(escaped.replace(/\\(.)/g, '$1'), HOSTILE);
  });

  it('numbered steps typed on one line become a list', () => {
    assert.deepEqual(splitSteps('1. Open the console 2. Click Restore 3. See the error'), [
      'Open the console',
      'Click Restore',
      'See the error',
    ]);
    assert.deepEqual(splitSteps('We run version 9.5 on 2 devices'), ['We run version 9.5 on 2 devices']);
    assert.equal(stepsMarkdown('1) a 2) b'), '1. a\n2. b');
  });
});
