import assert from 'node:assert/strict';
import { catalogue, t } from '../../dialogs/texts';
import { frenchSpacing } from '../../dialogs/texts/frenchTypography';

describe('dialog texts', () => {
  it('has exactly the same keys in English and French', () => {
    const en = Object.keys(catalogue('en')).sort();
    const fr = Object.keys(catalogue('fr')).sort();
    assert.deepEqual(
      en.filter((k) => !fr.includes(k)),
      [],
      'keys missing in French',
    );
    assert.deepEqual(
      fr.filter((k) => !en.includes(k)),
      [],
      'keys missing in English',
    );
  });

  it('uses the same placeholders in both languages and leaves no text empty', () => {
    for (const key of Object.keys(catalogue('en'))) {
      const placeholders = (s: string): string[] => (s.match(/\{\w+\}/g) ?? []).sort();
      const en = catalogue('en')[key] ?? '';
      const fr = catalogue('fr')[key] ?? '';
      assert.ok(en.trim() && fr.trim(), `${key} is empty`);
      assert.deepEqual(placeholders(fr), placeholders(en), `${key} placeholders differ`);
    }
  });

  it('fills placeholders', () => {
    assert.equal(t('en', 'main.tooLong', { length: 5000, max: 4000 }).includes('5000'), true);
  });
});

describe('French typography', () => {
  const french = Object.entries(catalogue('fr'));

  it('puts a no-break space before ":" and a narrow no-break space before "?", "!" and ";" in every French text', () => {
    for (const [key, text] of french) {
      const prose = text.replace(/https?:\/\/\S+/g, '').replace(/\d:\d/g, '');
      assert.doesNotMatch(prose, /[^\u00a0]:(\s|$)/, `${key}: "${text}"`);
      assert.doesNotMatch(prose, /[^\u202f][?!;](\s|$)/, `${key}: "${text}"`);
      assert.doesNotMatch(prose, /« |«[^\u00a0]| »|[^\u00a0]»/, `${key}: "${text}"`);
    }
  });

  it('leaves English as written', () => {
    assert.equal(t('en', 'kb.module', { module: 'Backup' }), 'Module: Backup');
    assert.ok(!Object.values(catalogue('en')).some((text) => /[\u00a0\u202f]/.test(text)));
  });

  it('elides "de" before a module name that starts with a vowel, and only then', () => {
    const format = 'trois nombres';
    assert.equal(
      t('fr', 'intake.askVersion', { module: 'Agent de supervision à distance', format }),
      'Quelle version d’Agent de supervision à distance utilisez-vous\u202f? (trois nombres)',
    );
    assert.equal(
      t('fr', 'intake.askVersion', { module: 'Sauvegarde et restauration', format }),
      'Quelle version de Sauvegarde et restauration utilisez-vous\u202f? (trois nombres)',
    );
    assert.match(t('fr', 'requests.title.organisation', { organisation: 'Initech' }), /^Demandes d’Initech$/);
  });

  it('frenchSpacing spaces a sign written without one and leaves addresses and times alone', () => {
    assert.equal(
      frenchSpacing('Note: voir https://x.example/a?b=1 à 09:30!'),
      'Note\u00a0: voir https://x.example/a?b=1 à 09:30\u202f!',
    );
    assert.equal(frenchSpacing('« annuler »'), '«\u00a0annuler\u00a0»');
  });

  it('the intake summary lists the articles tried with French spacing', () => {
    assert.equal(
      t('fr', 'intake.articlesTriedList', { titles: 'A · B' }),
      'Articles déjà consultés\u00a0: A · B',
    );
  });
});
