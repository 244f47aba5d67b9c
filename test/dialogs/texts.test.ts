import assert from 'node:assert/strict';
import { catalogue, t } from '../../dialogs/texts';

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
