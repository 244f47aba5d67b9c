import assert from 'node:assert/strict';
import { ClassifierBillingTopicClassifier, type BillingTopic } from '../../../services/intents';

describe('ClassifierBillingTopicClassifier', () => {
  let classifier: ClassifierBillingTopicClassifier;

  before(() => {
    classifier = new ClassifierBillingTopicClassifier();
  });

  const cases: Array<[BillingTopic, string]> = [
    ['invoice_copy', 'please email me a copy of the May invoice'],
    ['invoice_copy', 'pouvez-vous me renvoyer la facture de mai'],
    ['charge', 'why is there an extra fee on this month’s bill'],
    ['charge', 'pourquoi des frais supplémentaires sur la facture de ce mois'],
    ['dispute', 'I want to contest this charge and get a refund'],
    ['dispute', 'je conteste ce débit et demande un remboursement'],
    ['payment_method', 'how can I change the bank card we pay with'],
    ['payment_method', 'je veux payer par virement désormais'],
    ['renewal', 'please cancel our subscription at the end of the year'],
    ['renewal', 'je veux résilier notre abonnement'],
    ['licence_count', 'we need 40 additional licences'],
    ['licence_count', 'nous voulons retirer 15 licences'],
  ];

  for (const [topic, text] of cases) {
    it(`classifies "${text}" as ${topic}`, () => {
      // Act
      const result = classifier.classify(text);

      // Assert
      assert.equal(result, topic);
    });
  }
});
