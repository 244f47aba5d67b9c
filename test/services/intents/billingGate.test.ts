import assert from 'node:assert/strict';
import { BillingGate, loadUtterances, type Utterance } from '../../../services/intents';

describe('BillingGate', () => {
  let gate: BillingGate;

  before(() => {
    gate = new BillingGate(loadUtterances());
  });

  // Wording that is not in the training data: how-to and malfunction questions that mention payment
  // features are technical; questions about what was charged, owed, refunded or subscribed are billing.
  const cases: Array<[boolean, string]> = [
    [false, 'how do I get my card onto my Pixel phone for tap payments'],
    [false, 'my refund page in the console shows a 404 error'],
    [false, 'the terminal beeps and rejects my card when I tap it'],
    [false, 'how do I rename a shared folder in the web app'],
    [false, 'Configurer le pare-feu du routeur'],
    [false, "Modifier la langue de l'interface"],
    [true, 'there is a fee I did not expect after sending money abroad'],
    [true, 'how much do we still owe on the March bill'],
    [true, 'Annuler le renouvellement de votre abonnement'],
    [true, 'Consulter le montant de votre dernière facture'],
  ];

  for (const [billing, text] of cases) {
    it(`scores "${text}" as ${billing ? 'billing' : 'not billing'}`, () => {
      // Act
      const score = gate.billingScore(text);

      // Assert
      assert.ok(score !== undefined, 'no known feature');
      assert.equal(score > 0.5, billing, `billing score ${score}`);
    });
  }

  it('has no opinion on a message without any known feature', () => {
    // Act
    const score = gate.billingScore('zzqv plorf');

    // Assert
    assert.equal(score, undefined);
  });

  it('learns from the utterances it is given, not from a fixed list', () => {
    // Arrange
    const billing = [
      'alpha beta gamma delta',
      'epsilon zeta eta theta',
      'iota kappa lambda mu',
      'alpha nu xi omicron',
    ];
    const other = [
      'red green blue cyan',
      'magenta yellow black white',
      'orange purple brown grey',
      'red pink teal navy',
    ];
    const utterances: Utterance[] = [
      ...billing.map((text): Utterance => ({ text, intent: 'billing', topic: 'other', lang: 'en' })),
      ...other.map((text): Utterance => ({ text, intent: 'technical_problem', lang: 'en' })),
    ];

    // Act
    const small = new BillingGate(utterances);

    // Assert
    assert.ok((small.billingScore('alpha omega') ?? 0) > 0.5);
    assert.ok((small.billingScore('red omega') ?? 1) < 0.5);
  });
});
