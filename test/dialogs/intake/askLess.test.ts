import assert from 'node:assert/strict';
import { extractCandidates } from '../../../dialogs/intake/extract';
import type { TicketDraft } from '../../../dialogs/intake/fields';
import { FIELD_SPECS, readAnswer, type SpecContext } from '../../../dialogs/intake/fieldSpecs';
import { nextMissing } from '../../../dialogs/intake/transitions';
import type { Locale } from '../../../dialogs/texts';
import { StaticProductCatalogue } from '../../../services/catalogue';

const catalogue = new StaticProductCatalogue();
const empty: TicketDraft = { ccs: [], unknown: [] };
const ctx = (draft: TicketDraft, locale: Locale = 'en', lastUsed?: SpecContext['lastUsed']): SpecContext => ({
  locale,
  catalogue,
  today: new Date('2026-12-01T10:00:00Z'),
  draft,
  lastUsed,
});

describe('intake: one question where one answer gives two fields', () => {
  describe('the problem', () => {
    it('asks for the problem once when neither subject nor description is known', () => {
      const draft = { ...empty, module: 'backup' };
      assert.equal(nextMissing(draft), 'description');
      assert.match(
        FIELD_SPECS.description.ask(ctx(draft)).text,
        /Describe the problem: .* first sentence becomes the ticket subject/,
      );
      assert.match(
        FIELD_SPECS.description.ask(ctx(draft, 'fr')).text,
        /Décrivez le problème\u00a0: .* première phrase deviendra l’objet du ticket/,
      );
    });

    it('takes the subject from the first sentence of the answer', () => {
      const read = readAnswer(
        'description',
        'Nightly backup job fails. It stops at 40 % with a VSS error every night.',
        ctx({ ...empty, module: 'backup' }),
      );
      assert.equal(read.kind, 'value');
      assert.equal(read.kind === 'value' && read.draft.subject, 'Nightly backup job fails');
      assert.equal(read.kind === 'value' && nextMissing(read.draft), 'severity');
    });

    it('still asks the subject on its own when the answer gives none, and re-asks it with its reason', () => {
      const draft: TicketDraft = { ...empty, module: 'backup', description: 'x'.repeat(30) };
      assert.equal(nextMissing(draft), 'subject');
      assert.match(
        FIELD_SPECS.description.ask(ctx({ ...draft, subject: 'A subject' })).text,
        /Describe what happens/,
      );
      const short = readAnswer('subject', 'oops', ctx(draft));
      assert.deepEqual(short.kind === 'invalid' && short.reason.key, 'intake.invalid.subjectShort');
    });

    it('re-asks a too short problem with its reason', () => {
      const read = readAnswer('description', 'fails', ctx({ ...empty, module: 'backup' }));
      assert.deepEqual(read.kind === 'invalid' && read.reason.key, 'intake.invalid.descriptionShort');
    });
  });

  describe('server and version', () => {
    const draft: TicketDraft = {
      ...empty,
      module: 'rmm-agent',
      subject: 'Agents offline',
      description: 'x'.repeat(30),
      severity: 3,
    };

    it('asks both together while the version is still to ask, in both languages (French elided)', () => {
      assert.match(
        FIELD_SPECS.serverUrl.ask(ctx(draft)).text,
        /full address of the affected server .* which version of Remote monitoring agent/,
      );
      assert.match(
        FIELD_SPECS.serverUrl.ask(ctx(draft, 'fr')).text,
        /quelle version d’Agent de supervision à distance utilisez-vous/,
      );
      const known = { ...draft, productVersion: '9.5.2' };
      assert.doesNotMatch(FIELD_SPECS.serverUrl.ask(ctx(known)).text, /which version/);
    });

    it('offers the organisation’s last server and version as one tap, and "I don’t know"', () => {
      const both = FIELD_SPECS.serverUrl.ask(
        ctx(draft, 'en', { serverUrl: 'https://rmm.northwind.example', productVersion: '9.5.2' }),
      );
      assert.deepEqual(both.choices, ['https://rmm.northwind.example, version 9.5.2', "I don't know"]);
      const urlOnly = FIELD_SPECS.serverUrl.ask(
        ctx(draft, 'en', { serverUrl: 'https://rmm.northwind.example' }),
      );
      assert.deepEqual(urlOnly.choices, ['https://rmm.northwind.example', "I don't know"]);
    });

    it('takes the one address in a longer answer, and re-asks with the reason when there is none or several', () => {
      const read = readAnswer('serverUrl', 'https://rmm.northwind.example, version 9.5.2', ctx(draft));
      assert.equal(read.kind === 'value' && read.draft.serverUrl, 'https://rmm.northwind.example');
      for (const answer of ['rmm.northwind.example', 'https://a.example or https://b.example']) {
        const bad = readAnswer('serverUrl', answer, ctx(draft));
        assert.deepEqual(bad.kind === 'invalid' && bad.reason.key, 'intake.invalid.serverUrl', answer);
      }
      const unknown = readAnswer('serverUrl', "I don't know", ctx(draft));
      assert.equal(unknown.kind, 'unknown');
    });
  });
});

describe('intake: the server address in a message', () => {
  it('takes the address named as the server, never a Markdown link’s target', () => {
    const read = (text: string): string | undefined =>
      extractCandidates(text, catalogue).candidates.serverUrl;
    assert.equal(
      read('See [the guide](http://evil.example). Server https://backup.northwind.example, version 7.1.4.'),
      'https://backup.northwind.example',
    );
    assert.equal(read('[link](http://evil.example) the backup fails'), undefined);
    assert.equal(
      read('Docs at https://docs.example say so, but our serveur https://rmm.contoso.example is down'),
      'https://rmm.contoso.example',
    );
    assert.equal(
      read('The console at https://rmm.northwind.example shows agents offline'),
      'https://rmm.northwind.example',
    );
  });
});
