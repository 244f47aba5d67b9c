import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { PNG } from 'pngjs';
import { loadTeamsPackageConfig } from '../../bot/config';
import {
  buildTeamsPackage,
  MANIFEST_DIR,
  templateValues,
  TEMPLATE_FILE,
  validateTeamsPackage,
} from '../../manifest/teamsPackage';
import { TEAMS_PACKAGE_ENV } from '../support/teamsPackageEnv';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');

const ENV = TEAMS_PACKAGE_ENV;

/** The parts of the manifest these tests read. */
interface ManifestShape {
  id: string;
  version: string;
  manifestVersion: string;
  name: { short: string };
  bots: Array<{
    botId: string;
    scopes: string[];
    commandLists: Array<{ commands: Array<{ title: string }> }>;
  }>;
  staticTabs: Array<{ contentUrl?: string }>;
  webApplicationInfo: { id: string; resource: string };
  composeExtensions: Array<{
    commands: Array<{ type: string; initialRun: boolean }>;
    messageHandlers: Array<{ value: { domains: string[] } }>;
  }>;
  validDomains: string[];
  [key: string]: unknown;
}

function solidPng(size: number, rgba: [number, number, number, number]): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let i = 0; i < png.data.length; i += 4) png.data.set(rgba, i);
  return PNG.sync.write(png);
}

describe('Teams app package', function () {
  this.timeout(60_000);

  describe('built from manifest/ with a complete configuration', () => {
    const config = loadTeamsPackageConfig(ENV, '2.3.4');
    let built: Awaited<ReturnType<typeof buildTeamsPackage>>;
    before(async () => (built = await buildTeamsPackage(MANIFEST_DIR, templateValues(config))));

    it('is valid: the official schema, the icons, the domains and the French localization', () => {
      assert.deepEqual(built.errors, []);
    });

    it('holds manifest.json, both icons and the French file at the root of the zip', () => {
      const entries = unzipSync(built.zip);
      assert.deepEqual(Object.keys(entries).sort(), [
        'color.png',
        'fr-fr.json',
        'manifest.json',
        'outline.png',
      ]);
      const color = PNG.sync.read(Buffer.from(entries['color.png'] ?? []));
      assert.deepEqual([color.width, color.height], [192, 192]);
      const french = JSON.parse(strFromU8(entries['fr-fr.json'] ?? new Uint8Array())) as Record<
        string,
        string
      >;
      assert.equal(french['staticTabs[0].name'], 'Mes demandes');
    });

    it('declares the bot, the My requests tab with SSO, the search command and the unfurled domains', () => {
      const m = built.manifest as unknown as ManifestShape;
      assert.equal(m.id, ENV.TEAMS_APP_ID);
      assert.equal(m.version, '2.3.4');
      assert.equal(m.manifestVersion, '1.24');
      assert.equal(m.bots[0]?.botId, ENV.MicrosoftAppId);
      assert.deepEqual(m.bots[0]?.scopes, ['personal', 'team']);
      assert.ok(m.bots[0]?.commandLists[0]?.commands.some((c) => c.title === 'my requests'));
      assert.equal(m.staticTabs[0]?.contentUrl, 'https://helpline.example.com/teams/tab');
      assert.deepEqual(m.webApplicationInfo, {
        id: ENV.TEAMS_SSO_CLIENT_ID,
        resource: `api://helpline.example.com/${ENV.TEAMS_SSO_CLIENT_ID}`,
      });
      const search = m.composeExtensions[0]?.commands[0];
      assert.equal(search?.type, 'query');
      assert.equal(search?.initialRun, true);
      assert.deepEqual(m.composeExtensions[0]?.messageHandlers[0]?.value.domains, [
        'helpline.example.com',
        'support.example.com',
      ]);
      assert.deepEqual(m.validDomains, ['helpline.example.com']);
    });

    it('is the same zip, byte for byte, when built again from the same inputs', async () => {
      const again = await buildTeamsPackage(MANIFEST_DIR, templateValues(config));
      assert.deepEqual(Buffer.from(again.zip), Buffer.from(built.zip));
    });
  });

  describe('a broken template', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'helpline-manifest-'));
      cpSync(MANIFEST_DIR, dir, { recursive: true, filter: (src) => !src.endsWith('.ts') });
      const template = JSON.parse(readFileSync(path.join(dir, TEMPLATE_FILE), 'utf8')) as ManifestShape;
      template.id = 'helpline';
      template.version = '1.0';
      template.colour = 'blue';
      template.name.short = 'Helpline ${{PRODUCT_NAME}}';
      template.staticTabs[0].contentUrl = 'https://tabs.example.net/teams/tab';
      writeFileSync(path.join(dir, TEMPLATE_FILE), JSON.stringify(template));
      writeFileSync(path.join(dir, 'color.png'), solidPng(100, [11, 92, 173, 255]));
      writeFileSync(path.join(dir, 'outline.png'), solidPng(32, [11, 92, 173, 255]));
      const french = JSON.parse(readFileSync(path.join(dir, 'fr-fr.json'), 'utf8')) as Record<string, string>;
      french['bots[0].commandLists[0].commands[9].title'] = 'inconnu';
      writeFileSync(path.join(dir, 'fr-fr.json'), JSON.stringify(french));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('is reported with every one of its errors, not just the first', async () => {
      const built = await buildTeamsPackage(dir, templateValues(loadTeamsPackageConfig(ENV, '1.0.0')));
      const report = built.errors.join('\n');
      const expected: Array<[string, RegExp]> = [
        ['id not a GUID', /manifest\.json: \/id must match pattern/],
        ['unknown property', /must NOT have additional properties.*colour/],
        ['unknown placeholder', /\/name\/short uses the unknown placeholder \$\{\{PRODUCT_NAME\}\}/],
        ['version not semver', /version "1\.0" is not a semantic version/],
        ['tab host', /staticTabs\[0\]\.contentUrl: its host tabs\.example\.net is not in validDomains/],
        ['colour icon size', /icons\.color: "color\.png" is 100×100; it must be 192×192/],
        ['outline background', /icons\.outline: "outline\.png" has no transparent background/],
        ['outline colour', /icons\.outline: "outline\.png" has 1024 visible pixels that are not white/],
        [
          'localization key',
          /fr-fr\.json: "bots\[0\]\.commandLists\[0\]\.commands\[9\]\.title" translates nothing/,
        ],
      ];
      for (const [what, pattern] of expected)
        assert.match(report, pattern, `${what} not reported in:\n${report}`);
    });
  });

  describe('validating any package', () => {
    it('refuses something that is not a zip', async () => {
      const report = await validateTeamsPackage(strToU8('hello'));
      assert.match(report.errors.join('\n'), /not a readable zip/);
    });

    it('refuses a zip without manifest.json at its root, and files in folders', async () => {
      const report = await validateTeamsPackage(zipSync({ 'app/manifest.json': strToU8('{}') }));
      assert.match(report.errors.join('\n'), /app\/manifest\.json: every file must be at the root/);
      assert.match(report.errors.join('\n'), /manifest\.json is missing from the root/);
    });

    it('never looks for a schema online: an unknown $schema is an error', async () => {
      const report = await validateTeamsPackage(
        zipSync({
          'manifest.json': strToU8(
            JSON.stringify({ $schema: 'https://schemas.example.com/teams/v9.9/MicrosoftTeams.schema.json' }),
          ),
        }),
      );
      assert.match(report.errors.join('\n'), /is not an official Teams schema known offline/);
    });
  });

  describe('configuration', () => {
    it('names every missing value at once', () => {
      assert.throws(
        () => loadTeamsPackageConfig({ PUBLIC_URL: 'http://helpline.example.com' }, '1.0.0'),
        (error: Error) => {
          for (const name of [
            'TEAMS_APP_ID',
            'MicrosoftAppId',
            'PUBLIC_URL',
            'TEAMS_DEVELOPER_NAME',
            'TEAMS_DEVELOPER_URL',
            'TEAMS_PRIVACY_URL',
            'TEAMS_TERMS_URL',
          ])
            assert.match(error.message, new RegExp(`at ${name}`));
          assert.match(error.message, /must be an https:\/\/ address/);
          return true;
        },
      );
    });
  });

  describe('npm run teams:package and teams:validate', () => {
    let dir: string;
    before(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'helpline-package-'))));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('writes the zip from an env file, and the validator accepts it', async () => {
      const envFile = path.join(dir, 'teams.env');
      writeFileSync(
        envFile,
        Object.entries(ENV)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n'),
      );
      const zip = path.join(dir, 'helpline-teams.zip');
      const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
      const packaged = await run(tsx, ['scripts/teamsPackage.ts', '--env-file', envFile, '--out', zip], {
        cwd: ROOT,
        env: { PATH: process.env.PATH },
      });
      assert.match(packaged.stdout, /helpline-teams\.zip: \d+ bytes, manifest 1\.24/);
      const validated = await run(tsx, ['scripts/teamsValidate.ts', zip], {
        cwd: ROOT,
        env: { PATH: process.env.PATH },
      });
      assert.match(validated.stdout, /valid \(manifest 1\.24, app version 0\.1\.0/);
    });

    it('writes nothing and lists the missing values when the configuration is incomplete', async () => {
      const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
      const zip = path.join(dir, 'none.zip');
      await assert.rejects(
        run(tsx, ['scripts/teamsPackage.ts', '--out', zip], { cwd: ROOT, env: { PATH: process.env.PATH } }),
        (error: { code?: number; stderr?: string }) => {
          assert.equal(error.code, 2);
          assert.match(error.stderr ?? '', /TEAMS_APP_ID/);
          return true;
        },
      );
      await assert.rejects(
        run(tsx, ['scripts/teamsValidate.ts', zip], { cwd: ROOT, env: { PATH: process.env.PATH } }),
      );
    });
  });
});
