import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEMO_CATALOGUE_FILE, parseCatalogue, StaticProductCatalogue } from '../../../services/catalogue';
import { readmeBlocks } from '../../support/readme';

const demoText = readFileSync(DEMO_CATALOGUE_FILE, 'utf8');

function issuesOf(
  text: string,
  format: 'yaml' | 'json' = 'yaml',
): Array<{ line: number; path: string; message: string }> {
  const result = parseCatalogue(text, format);
  assert.equal(result.ok, false, 'the file should be refused');
  return result.ok ? [] : result.issues;
}

/** The 1-based line of the first line containing `needle`. */
function lineOf(text: string, needle: string, from = 0): number {
  const index = text.indexOf(needle, from);
  assert.ok(index >= 0, `"${needle}" not in the text`);
  return text.slice(0, index).split('\n').length;
}

describe('catalogue file', () => {
  it('reads the shipped demo catalogue: modules, versions newest first, targets, hours and holidays', () => {
    const result = parseCatalogue(demoText);
    assert.ok(result.ok);
    const rmm = result.data.modules.find((m) => m.id === 'rmm-agent');
    assert.deepEqual(
      rmm?.versions.map((v) => v.version),
      ['9.5.2', '9.4.7', '9.3.1', '9.2.0'],
    );
    // Versions stay the text written: 2026.2 is not the number 2026.2, "2026.10" would stay 2026.10.
    assert.equal(
      result.data.modules.find((m) => m.id === 'patch-management')?.versions[0]?.version,
      '2026.2',
    );
    assert.deepEqual(result.data.responseTargets['1'], { amount: 1, unit: 'hours' });
    assert.deepEqual(result.data.responseTargets['2'], { amount: 4, unit: 'business_hours' });
    assert.deepEqual(result.data.businessHours, { days: [1, 2, 3, 4, 5], startHour: 9, endHour: 18 });
    assert.ok(result.data.holidays.includes('2026-12-25'));
  });

  it('accepts the example the README shows', () => {
    const [example] = readmeBlocks('Your own data: catalogue, customers and contacts').filter(
      (b) => b.lang === 'yaml',
    );
    const result = parseCatalogue(example.text);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.issues));
    assert.deepEqual(
      result.data.modules.map((m) => m.id),
      ['backup'],
    );
  });

  it('gives the same revision for the same content and another one when it changes', () => {
    const a = parseCatalogue(demoText);
    const b = parseCatalogue(`# a comment changes nothing\n${demoText}`);
    const c = parseCatalogue(demoText.replace("end: '18:00'", "end: '17:00'"));
    assert.ok(a.ok && b.ok && c.ok);
    assert.equal(a.revision, b.revision);
    assert.notEqual(a.revision, c.revision);
  });

  it('points at the line of a wrong value deep in a module', () => {
    const text = demoText.replace(
      '{ version: 4.1.3, released: 2025-09-01 }',
      '{ version: 4.1.3, released: 2025-13-01 }',
    );
    const issues = issuesOf(text);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.line, lineOf(text, '2025-13-01'));
    assert.equal(issues[0]?.path, 'modules[1].versions[1].released');
    assert.match(issues[0]?.message ?? '', /YYYY-MM-DD/);
  });

  it('reports every problem with its own line: a version off the pattern, a duplicate id, a bad time zone, a missing name', () => {
    let text = demoText
      .replace('timeZone: UTC', 'timeZone: Mars/Olympus')
      .replace('{ version: 7.0.9, released: 2026-02-02 }', '{ version: 7.0, released: 2026-02-02 }')
      .replace('  - id: network-monitoring', '  - id: backup');
    text = text.replace('    name: { en: Partner portal, fr: Portail partenaire }\n', '');
    const issues = issuesOf(text);
    const byPath = new Map(issues.map((i) => [i.path, i]));
    assert.equal(byPath.get('timeZone')?.line, lineOf(text, 'Mars/Olympus'));
    assert.equal(byPath.get('modules[3].versions[1].version')?.line, lineOf(text, 'version: 7.0,'));
    assert.match(byPath.get('modules[3].versions[1].version')?.message ?? '', /pattern/);
    const secondBackup = text.indexOf('  - id: backup') + 1;
    assert.equal(byPath.get('modules[4].id')?.line, lineOf(text, '  - id: backup', secondBackup));
    assert.match(byPath.get('modules[4].id')?.message ?? '', /twice/);
    // A missing key points at the object that lacks it.
    assert.equal(byPath.get('modules[5].name')?.line, lineOf(text, '  - id: partner-portal'));
    // Sorted by line.
    assert.deepEqual(
      issues.map((i) => i.line),
      [...issues.map((i) => i.line)].sort((a, b) => a - b),
    );
  });

  it('refuses unknown keys and business hours that end before they start', () => {
    const text = demoText.replace("  end: '18:00'", "  end: '08:00'\n  lunch: '12:00'");
    const issues = issuesOf(text);
    assert.ok(
      issues.some((i) => i.line === lineOf(text, "end: '08:00'") && /after the start/.test(i.message)),
    );
    assert.ok(issues.some((i) => /lunch/.test(i.message)));
  });

  it('gives the line of a YAML syntax error', () => {
    const text = demoText.replace('  severity2: { hours: 4 }', '  severity2: { hours: 4');
    const issues = issuesOf(text);
    assert.ok(issues.length >= 1);
    assert.ok(issues[0].line >= lineOf(text, '  severity2: { hours: 4'));
  });

  it('reads JSON too, with lines', () => {
    const result = parseCatalogue(demoText);
    assert.ok(result.ok);
    const json = JSON.stringify(
      {
        timeZone: 'Europe/Paris',
        businessHours: { days: ['mon'], start: '08:00', end: '17:00' },
        responseTargets: {
          severity1: { hours: 2, aroundTheClock: true },
          severity2: { hours: 'four' },
          severity3: { hours: 8 },
          severity4: { hours: 16 },
        },
        modules: [
          {
            id: 'm',
            name: { en: 'M', fr: 'M' },
            hasDevices: false,
            versionFormat: { pattern: '^\\d+$', description: { en: 'a number', fr: 'un nombre' } },
          },
        ],
      },
      null,
      2,
    );
    const issues = issuesOf(json, 'json');
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.line, lineOf(json, '"four"'));
    const fixed = parseCatalogue(json.replace('"four"', '4'), 'json');
    assert.ok(fixed.ok);
    assert.equal(fixed.data.timeZone, 'Europe/Paris');
  });

  it('computes version support from the dates: the current one, and the previous one for a year', () => {
    const result = parseCatalogue(demoText);
    assert.ok(result.ok);
    const catalogue = StaticProductCatalogue.fromData(result.data);
    // remote-control: 4.2.0 (2026-03-10), 4.1.3 (2025-09-01), 4.0.5 (2024-11-18)
    assert.deepEqual(catalogue.supportedVersions('remote-control', new Date('2026-12-02')), [
      '4.2.0',
      '4.1.3',
    ]);
    assert.deepEqual(catalogue.supportedVersions('remote-control', new Date('2027-03-11')), ['4.2.0']);
    assert.equal(
      catalogue.versionSupport('remote-control', '4.0.5', new Date('2026-12-02')).status,
      'unsupported',
    );
    assert.equal(catalogue.schedule().businessHours.timeZone, 'UTC');
  });
});
