import assert from 'node:assert/strict';
import { detectLanguage, detectLanguageSwitch, languageFromLocale } from '../../../services/language';

describe('detectLanguage', () => {
  it('recognises an English message', () => {
    // Act
    const language = detectLanguage('The remote control session drops every few minutes since the update');

    // Assert
    assert.equal(language, 'en');
  });

  it('recognises a French message', () => {
    const language = detectLanguage('Bonjour, la sauvegarde de notre serveur échoue toutes les nuits');

    assert.equal(language, 'fr');
  });

  it('recognises a French message written without accents', () => {
    const language = detectLanguage('je voudrais une copie de la facture du mois dernier');

    assert.equal(language, 'fr');
  });

  it('for a very short ambiguous text, falls back to the hint', () => {
    assert.equal(detectLanguage('ok', 'fr-FR'), 'fr');
    assert.equal(detectLanguage('HL-123456', 'fr'), 'fr');
    assert.equal(detectLanguage('ok', 'en-GB'), 'en');
  });

  it('for a very short text without a usable hint, answers English', () => {
    assert.equal(detectLanguage('ok'), 'en');
    assert.equal(detectLanguage('ok', 'de-DE'), 'en');
  });

  it('knows unmistakable short words whatever the hint', () => {
    assert.equal(detectLanguage('Bonjour !', 'en-US'), 'fr');
    assert.equal(detectLanguage('merci', 'en-US'), 'fr');
    assert.equal(detectLanguage('Hello', 'fr-FR'), 'en');
  });

  it('maps locales to a language it speaks', () => {
    assert.equal(languageFromLocale('fr-CA'), 'fr');
    assert.equal(languageFromLocale('en_US'), 'en');
    assert.equal(languageFromLocale('de-DE'), undefined);
    assert.equal(languageFromLocale(undefined), undefined);
  });
});

describe('detectLanguageSwitch', () => {
  const toEnglish = [
    'in English please',
    'English',
    'english please',
    'Can we speak English?',
    'Could you answer in English',
    'switch to English',
    'parlez-vous anglais ?',
    'en anglais svp',
    'on peut parler en anglais ?',
    'Do you speak English?',
  ];
  const toFrench = [
    'en français',
    'Français',
    'français svp',
    'can we speak French',
    "I'd like to continue in French",
    'reply in French please',
    'Je préfère le français',
    'pouvez-vous répondre en français ?',
    'Parlez-vous français ?',
  ];

  for (const text of toEnglish) {
    it(`"${text}" asks for English`, () => {
      assert.equal(detectLanguageSwitch(text), 'en');
    });
  }

  for (const text of toFrench) {
    it(`"${text}" asks for French`, () => {
      assert.equal(detectLanguageSwitch(text), 'fr');
    });
  }

  const notSwitches = [
    'I speak French with my customers and the agent is offline',
    'the French invoice has the wrong VAT number',
    'our English site is down',
    "je parle anglais avec mes clients et l'agent est hors ligne",
    'la facture en anglais est fausse',
    'hello',
    '',
  ];
  for (const text of notSwitches) {
    it(`"${text}" is not a switch request`, () => {
      assert.equal(detectLanguageSwitch(text), undefined);
    });
  }
});
