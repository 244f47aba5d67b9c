import assert from 'node:assert/strict';
import {
  ClassifierIntentRecognizer,
  INTENTS,
  loadUtterances,
  type Intent,
  type IntentResult,
} from '../../../services/intents';

describe('ClassifierIntentRecognizer', () => {
  let recognizer: ClassifierIntentRecognizer;

  before(() => {
    recognizer = new ClassifierIntentRecognizer();
  });

  // Wording that is not in the training data, so that these test generalisation, not memory.
  const cases: Array<[Intent, 'en' | 'fr', string]> = [
    ['technical_problem', 'en', 'Since yesterday the agents on our client sites show as disconnected'],
    ['technical_problem', 'en', 'Outlook crashes every time I open an attachment'],
    ['technical_problem', 'en', 'the nightly backup job ends with an error'],
    ['technical_problem', 'fr', 'depuis hier les agents de nos clients sont tous déconnectés'],
    ['technical_problem', 'fr', "l'imprimante du bureau refuse d'imprimer"],
    ['technical_problem', 'fr', 'la restauration des fichiers ne marche pas'],
    ['billing', 'en', 'We were charged two times for the June invoice'],
    ['billing', 'en', 'Could you send me a duplicate of invoice 2024-118?'],
    ['billing', 'en', 'I need to update the credit card we pay with'],
    ['billing', 'fr', 'nous avons été prélevés deux fois pour la facture de juin'],
    ['billing', 'fr', "pouvez-vous me renvoyer la facture d'avril"],
    ['billing', 'fr', 'je souhaite ajouter 30 licences à notre contrat'],
    ['technical_problem', 'en', 'how can I change the display name shown on my forum profile'],
    ['technical_problem', 'en', 'my phone will not let me add the company card to the wallet app'],
    ['technical_problem', 'fr', 'Configurer le pare-feu du routeur'],
    ['technical_problem', 'fr', 'Modifier la langue du clavier'],
    ['billing', 'en', 'there is a fee I did not expect after sending money abroad'],
    ['billing', 'fr', 'Annuler le renouvellement de votre abonnement'],
    ['my_requests', 'en', 'what is happening with the case I opened on Monday'],
    ['my_requests', 'fr', "où en est la demande que j'ai ouverte lundi"],
    ['service_status', 'en', 'is there an outage on your side right now'],
    ['service_status', 'fr', 'y a-t-il un incident en cours sur vos services'],
    ['talk_to_person', 'en', 'I would rather speak with a real human being'],
    ['talk_to_person', 'fr', 'je préfère parler à une vraie personne'],
    ['feature_request', 'en', 'it would be great if we could export devices to CSV'],
    ['feature_request', 'fr', 'ce serait bien de pouvoir exporter les appareils en CSV'],
    ['out_of_scope', 'en', 'do you run training courses for our technicians'],
    ['out_of_scope', 'fr', 'proposez-vous une formation pour nos techniciens'],
    ['greeting_help', 'en', 'Hello!'],
    ['greeting_help', 'fr', 'Bonjour'],
    ['open_ticket', 'en', 'please create a support ticket for me'],
    ['open_ticket', 'fr', 'je voudrais ouvrir un nouveau ticket'],
    ['search_kb', 'en', 'search the knowledge base for agent installation'],
    ['search_kb', 'fr', 'rechercher un article dans la base de connaissances'],
  ];

  for (const [intent, lang, text] of cases) {
    it(`recognises ${intent} in ${lang === 'en' ? 'English' : 'French'}: "${text}"`, async () => {
      // Act
      const result = await recognizer.recognize(text, { locale: lang });

      // Assert
      assert.equal(result.top, intent, summary(result));
    });
  }

  it('extracts a quoted ticket number and routes to my requests', async () => {
    const result = await recognizer.recognize('any news on hl-004512?');

    assert.equal(result.top, 'my_requests');
    assert.equal(result.entities?.ticketNumber, 'HL-004512');
  });

  it('extracts a ticket number in French too', async () => {
    const result = await recognizer.recognize('Où en est le ticket HL 123456 ?', { locale: 'fr' });

    assert.equal(result.top, 'my_requests');
    assert.equal(result.entities?.ticketNumber, 'HL-123456');
  });

  it('answers unknown for gibberish', async () => {
    for (const text of ['asdf qwerty zxcv', 'blorp fnord wibble', '???', '']) {
      const result = await recognizer.recognize(text);
      assert.equal(result.top, 'unknown', `${JSON.stringify(text)}: ${summary(result)}`);
    }
  });

  it('gives a billing topic with a billing intent', async () => {
    const refund = await recognizer.recognize('I want my money back for the duplicate payment');
    const card = await recognizer.recognize('notre carte bancaire a expiré, comment la remplacer', {
      locale: 'fr',
    });

    assert.equal(refund.top, 'billing');
    assert.equal(refund.entities?.billingTopic, 'dispute');
    assert.equal(card.top, 'billing');
    assert.equal(card.entities?.billingTopic, 'payment_method');
  });

  it('returns every trained intent, scores sorted best first', async () => {
    const result = await recognizer.recognize('the backup failed');

    assert.equal(result.intents.length, INTENTS.length - 1);
    const scores = result.intents.map((entry) => entry.score);
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => b - a),
    );
    assert.equal(result.score, result.intents[0]?.score);
  });
});

describe('intent training data', () => {
  it('has examples of every intent in both languages', () => {
    const utterances = loadUtterances();

    for (const lang of ['en', 'fr'] as const) {
      for (const intent of INTENTS.filter((i) => i !== 'unknown')) {
        const count = utterances.filter((u) => u.lang === lang && u.intent === intent).length;
        assert.ok(count >= 10, `${intent} in ${lang}: ${count} examples`);
      }
    }
  });
});

function summary(result: IntentResult): string {
  return result.intents
    .slice(0, 3)
    .map((entry) => `${entry.intent} ${entry.score.toFixed(2)}`)
    .join(', ');
}
