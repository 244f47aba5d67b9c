import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { PNG } from 'pngjs';
import type { TeamsPackageConfig } from '../bot/config';

/** The folder of the template, its icons and its localization files. */
export const MANIFEST_DIR = __dirname;
export const TEMPLATE_FILE = 'manifest.template.json';

/** A placeholder in a template string: `${{NAME}}`. */
const PLACEHOLDER = /\$\{\{([A-Z0-9_]+)\}\}/g;

/** Values the template's placeholders take; a list may only fill a whole array element. */
export type TemplateValues = Record<string, string | string[]>;

/** The placeholders of `manifest.template.json`, from the package configuration. */
export function templateValues(config: TeamsPackageConfig): TemplateValues {
  return {
    APP_ID: config.appId,
    BOT_ID: config.botId,
    SSO_CLIENT_ID: config.ssoClientId,
    VERSION: config.version,
    BASE_URL: config.baseUrl,
    DOMAIN: config.domain,
    UNFURL_DOMAINS: config.unfurlDomains,
    DEVELOPER_NAME: config.developer.name,
    DEVELOPER_URL: config.developer.websiteUrl,
    PRIVACY_URL: config.developer.privacyUrl,
    TERMS_URL: config.developer.termsOfUseUrl,
  };
}

/**
 * Fills `${{NAME}}` placeholders in every string of a parsed JSON template. Values are inserted
 * into strings, never spliced into JSON text, so no value can change the document's structure.
 * Every unknown placeholder, and every list used inside a longer string, is reported.
 */
export function fillTemplate(
  template: unknown,
  values: TemplateValues,
  file: string,
): { value: unknown; errors: string[] } {
  const errors: string[] = [];
  const fill = (node: unknown, at: string): unknown => {
    if (typeof node === 'string') {
      return node.replace(PLACEHOLDER, (whole, name: string) => {
        const value = values[name];
        if (value === undefined) {
          errors.push(`${file}: ${at} uses the unknown placeholder ${whole}`);
          return whole;
        }
        if (Array.isArray(value)) {
          errors.push(`${file}: ${at}: the list ${whole} can only stand alone as an array element`);
          return whole;
        }
        return value;
      });
    }
    if (Array.isArray(node)) {
      return node.flatMap((item, i) => {
        const whole = typeof item === 'string' ? /^\$\{\{([A-Z0-9_]+)\}\}$/.exec(item) : null;
        const list = whole ? values[whole[1] ?? ''] : undefined;
        return Array.isArray(list) ? list : [fill(item, `${at}/${i}`)];
      });
    }
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, fill(item, `${at}/${key}`)]));
    }
    return node;
  };
  return { value: fill(template, ''), errors };
}

export interface BuiltPackage {
  zip: Uint8Array;
  manifest: Record<string, unknown>;
  /** Every problem found; the zip is only usable when empty. */
  errors: string[];
}

/**
 * Fills the template in `templateDir` with `values`, gathers the icons and localization files it
 * names, zips them at the root with `manifest.json`, and validates the result exactly as
 * `validateTeamsPackage` validates any package.
 */
export async function buildTeamsPackage(templateDir: string, values: TemplateValues): Promise<BuiltPackage> {
  const errors: string[] = [];
  const templatePath = path.join(templateDir, TEMPLATE_FILE);
  const template = readJson(templatePath, TEMPLATE_FILE, errors);
  if (template === undefined) return { zip: new Uint8Array(), manifest: {}, errors };
  const filled = fillTemplate(template, values, TEMPLATE_FILE);
  errors.push(...filled.errors);
  const manifest = filled.value as Record<string, unknown>;
  const files: Zippable = { 'manifest.json': strToU8(`${JSON.stringify(manifest, null, 2)}\n`) };
  for (const name of referencedFiles(manifest)) {
    const source = path.join(templateDir, name);
    if (!isPlainFileName(name) || !existsSync(source)) continue; // reported by the validation below
    if (name.endsWith('.json')) {
      const localization = readJson(source, name, errors);
      if (localization === undefined) continue;
      const filledLocalization = fillTemplate(localization, values, name);
      errors.push(...filledLocalization.errors);
      files[name] = strToU8(`${JSON.stringify(filledLocalization.value, null, 2)}\n`);
    } else {
      files[name] = readFileSync(source);
    }
  }
  // A fixed date keeps the zip identical from one build of the same inputs to the next.
  const zip = zipSync(files, { level: 9, mtime: new Date('2026-01-01T00:00:00Z') });
  const report = await validateTeamsPackage(zip);
  errors.push(...report.errors.filter((error) => !errors.includes(error)));
  return { zip, manifest, errors };
}

export interface PackageReport {
  manifest?: Record<string, unknown>;
  /** The manifest schema version, e.g. "1.24". */
  manifestVersion?: string;
  errors: string[];
}

/**
 * Validates a Teams app package offline: the manifest against the official schema bundled in
 * `@microsoft/app-manifest` (never fetched), then what the schema does not check: a semver
 * `version`, the icons (colour 192×192 PNG; outline 32×32 PNG, white on transparency), every
 * tab's host in `validDomains` (16 at most), the SSO resource, and the localization files
 * against their own schema. Returns every problem, not just the first.
 */
export async function validateTeamsPackage(zipBytes: Uint8Array): Promise<PackageReport> {
  const errors: string[] = [];
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zipBytes);
  } catch (error) {
    return { errors: [`the package is not a readable zip (${(error as Error).message})`] };
  }
  for (const name of Object.keys(entries)) {
    if (name.includes('/')) errors.push(`${name}: every file must be at the root of the zip`);
  }
  const raw = entries['manifest.json'];
  if (!raw) return { errors: [...errors, 'manifest.json is missing from the root of the zip'] };
  const manifest = parseJson(raw, 'manifest.json', errors);
  if (!manifest) return { errors };

  const manifestVersion = typeof manifest.manifestVersion === 'string' ? manifest.manifestVersion : undefined;
  errors.push(...(await schemaErrors(manifest, 'manifest.json', 'MicrosoftTeams.schema.json')));
  errors.push(...leftoverPlaceholders(manifest, 'manifest.json'));

  const version = manifest.version;
  if (typeof version === 'string' && !SEMVER.test(version)) {
    errors.push(`manifest.json: version "${version}" is not a semantic version such as 1.0.0`);
  }
  if (
    typeof manifest.$schema === 'string' &&
    manifestVersion &&
    !manifest.$schema.includes(`/v${manifestVersion}/`)
  ) {
    errors.push(`manifest.json: $schema names another version than manifestVersion "${manifestVersion}"`);
  }

  const icons = (manifest.icons ?? {}) as Record<string, unknown>;
  checkIcon(entries, icons.color, 'color', 192, false, errors);
  checkIcon(entries, icons.outline, 'outline', 32, true, errors);
  if (icons.color32x32 !== undefined) checkIcon(entries, icons.color32x32, 'color32x32', 32, false, errors);

  checkDomains(manifest, errors);
  checkSsoResource(manifest, errors);
  await checkLocalizations(manifest, entries, errors);
  return { manifest, ...(manifestVersion ? { manifestVersion } : {}), errors };
}

/** semver.org's own pattern. */
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** The bundled schema a `$schema` URL names; undefined for anything not bundled (never fetched). */
export function bundledSchemaPath(schemaUrl: string, file: string): string | undefined {
  const match = /\/json-schemas\/teams\/(v\d+\.\d+|vDevPreview)\/([A-Za-z.]+\.json)$/.exec(schemaUrl);
  if (!match || match[2] !== file) return undefined;
  const candidate = path.join(
    path.dirname(require.resolve('@microsoft/app-manifest')),
    'json-schemas',
    'teams',
    match[1] ?? '',
    file,
  );
  return existsSync(candidate) ? candidate : undefined;
}

async function schemaErrors(
  json: Record<string, unknown>,
  name: string,
  schemaFile: string,
): Promise<string[]> {
  const schemaUrl = json.$schema;
  if (typeof schemaUrl !== 'string') return [`${name}: $schema is missing`];
  const schemaPath = bundledSchemaPath(schemaUrl, schemaFile);
  if (!schemaPath) {
    return [`${name}: $schema "${schemaUrl}" is not an official Teams schema known offline (${schemaFile})`];
  }
  const schema = unicodeSafePatterns(JSON.parse(readFileSync(schemaPath, 'utf8'))) as Parameters<
    typeof AppManifestUtils.validateAgainstSchema
  >[1];
  const found = await AppManifestUtils.validateAgainstSchema(
    json as unknown as Parameters<typeof AppManifestUtils.validateAgainstSchema>[0],
    schema,
  );
  return found.map((error) => `${name}: ${error.trim()}`);
}

/**
 * The validator compiles patterns in unicode mode, where a lone `]` is a syntax error; the
 * localization schemas have one (`...\\b]\\.description$`). Escaping such a `]` keeps the
 * meaning the schema's authors gave it (a literal `]`, as in non-unicode mode).
 */
function unicodeSafePatterns(schema: unknown): unknown {
  const fix = (pattern: string): string => {
    try {
      new RegExp(pattern, 'u');
      return pattern;
    } catch {
      let inClass = false;
      let out = '';
      for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i] ?? '';
        if (c === '\\') {
          out += c + (pattern[++i] ?? '');
        } else if (c === '[' && !inClass) {
          inClass = true;
          out += c;
        } else if (c === ']') {
          out += inClass ? c : '\\]';
          inClass = false;
        } else {
          out += c;
        }
      }
      return out;
    }
  };
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => {
        if (key === 'patternProperties' && value && typeof value === 'object') {
          const patterns = Object.entries(value as Record<string, unknown>);
          return [key, Object.fromEntries(patterns.map(([p, v]) => [fix(p), walk(v)]))];
        }
        if (key === 'pattern' && typeof value === 'string') return [key, fix(value)];
        return [key, walk(value)];
      }),
    );
  };
  return walk(schema);
}

function leftoverPlaceholders(json: unknown, name: string): string[] {
  const found: string[] = [];
  const walk = (node: unknown, at: string): void => {
    if (typeof node === 'string') {
      for (const match of node.matchAll(PLACEHOLDER)) found.push(`${name}: ${at} still holds ${match[0]}`);
    } else if (node && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) walk(item, `${at}/${key}`);
    }
  };
  walk(json, '');
  return found;
}

function checkIcon(
  entries: Record<string, Uint8Array>,
  file: unknown,
  role: string,
  size: number,
  whiteOnTransparent: boolean,
  errors: string[],
): void {
  if (typeof file !== 'string') return; // the schema reports a missing icon
  const bytes = entries[file];
  if (!bytes) {
    errors.push(`icons.${role}: "${file}" is not in the package`);
    return;
  }
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes));
  } catch {
    errors.push(`icons.${role}: "${file}" is not a PNG image`);
    return;
  }
  if (png.width !== size || png.height !== size) {
    errors.push(`icons.${role}: "${file}" is ${png.width}×${png.height}; it must be ${size}×${size}`);
  }
  if (!whiteOnTransparent) return;
  let transparent = 0;
  let coloured = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    if (png.data[i + 3] === 0) transparent++;
    else if (png.data[i] !== 255 || png.data[i + 1] !== 255 || png.data[i + 2] !== 255) coloured++;
  }
  if (transparent === 0) errors.push(`icons.${role}: "${file}" has no transparent background`);
  if (coloured > 0) {
    errors.push(`icons.${role}: "${file}" has ${coloured} visible pixels that are not white`);
  }
}

function hostMatches(host: string, domain: string): boolean {
  const h = host.toLowerCase();
  const d = domain.toLowerCase();
  if (d.startsWith('*.')) return h.endsWith(d.slice(1)) && h.length > d.length - 1;
  return h === d;
}

function checkDomains(manifest: Record<string, unknown>, errors: string[]): void {
  const validDomains = Array.isArray(manifest.validDomains)
    ? manifest.validDomains.filter((d): d is string => typeof d === 'string')
    : [];
  if (validDomains.length > 16) {
    errors.push(`validDomains: ${validDomains.length} entries; Teams allows at most 16`);
  }
  const tabs = [
    ...(Array.isArray(manifest.staticTabs) ? manifest.staticTabs : []).map((tab, i) => ({
      tab: tab as Record<string, unknown>,
      at: `staticTabs[${i}]`,
    })),
    ...(Array.isArray(manifest.configurableTabs) ? manifest.configurableTabs : []).map((tab, i) => ({
      tab: tab as Record<string, unknown>,
      at: `configurableTabs[${i}]`,
    })),
  ];
  for (const { tab, at } of tabs) {
    for (const field of ['contentUrl', 'websiteUrl', 'configurationUrl']) {
      const value = tab[field];
      if (typeof value !== 'string') continue;
      // Teams fills {placeholders} such as {locale} itself; they are not part of the host.
      const address = value.replace(/\{\w+\}/g, 'x');
      const url = URL.canParse(address) ? new URL(address) : undefined;
      if (!url || url.protocol !== 'https:') {
        errors.push(`${at}.${field}: "${value}" is not an https address`);
        continue;
      }
      if (!validDomains.some((domain) => hostMatches(url.host, domain))) {
        errors.push(`${at}.${field}: its host ${url.host} is not in validDomains`);
      }
    }
  }
}

function checkSsoResource(manifest: Record<string, unknown>, errors: string[]): void {
  const info = manifest.webApplicationInfo as { id?: unknown; resource?: unknown } | undefined;
  if (!info || typeof info.resource !== 'string' || typeof info.id !== 'string') return;
  const match = /^api:\/\/([^/]+)\/(.+)$/.exec(info.resource);
  if (!match) {
    errors.push(`webApplicationInfo.resource: "${info.resource}" must be api://<domain>/<client id>`);
    return;
  }
  if (match[2]?.toLowerCase() !== info.id.toLowerCase()) {
    errors.push('webApplicationInfo.resource: it must end with webApplicationInfo.id');
  }
  const validDomains = Array.isArray(manifest.validDomains) ? (manifest.validDomains as unknown[]) : [];
  if (!validDomains.some((domain) => typeof domain === 'string' && hostMatches(match[1] ?? '', domain))) {
    errors.push(`webApplicationInfo.resource: its domain ${match[1]} is not in validDomains`);
  }
}

async function checkLocalizations(
  manifest: Record<string, unknown>,
  entries: Record<string, Uint8Array>,
  errors: string[],
): Promise<void> {
  const info = manifest.localizationInfo as { additionalLanguages?: unknown } | undefined;
  const languages = Array.isArray(info?.additionalLanguages) ? info.additionalLanguages : [];
  for (const language of languages as Array<{ file?: unknown; languageTag?: unknown }>) {
    if (typeof language.file !== 'string') continue;
    const bytes = entries[language.file];
    if (!bytes) {
      errors.push(
        `localizationInfo: "${language.file}" (${String(language.languageTag)}) is not in the package`,
      );
      continue;
    }
    const localization = parseJson(bytes, language.file, errors);
    if (!localization) continue;
    errors.push(
      ...(await schemaErrors(localization, language.file, 'MicrosoftTeams.Localization.schema.json')),
    );
    errors.push(...leftoverPlaceholders(localization, language.file));
    for (const key of Object.keys(localization)) {
      if (key === '$schema' || key === 'localizationKeys') continue;
      if (resolvePath(manifest, key) === undefined) {
        errors.push(`${language.file}: "${key}" translates nothing in manifest.json`);
      }
    }
  }
}

/** `bots[0].commandLists[1].commands[2].title` in the manifest; `name.short` too. */
function resolvePath(root: unknown, key: string): unknown {
  let node: unknown = root;
  for (const part of key.split('.')) {
    const match = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!match) return undefined;
    node = (node as Record<string, unknown> | undefined)?.[match[1] ?? ''];
    for (const index of (match[2] ?? '').matchAll(/\[(\d+)\]/g)) {
      node = Array.isArray(node) ? node[Number(index[1])] : undefined;
    }
    if (node === undefined) return undefined;
  }
  return typeof node === 'string' ? node : undefined;
}

/** Icons and localization files the manifest names (relative to the package root). */
function referencedFiles(manifest: Record<string, unknown>): string[] {
  const icons = Object.values((manifest.icons ?? {}) as Record<string, unknown>);
  const info = manifest.localizationInfo as
    { additionalLanguages?: unknown; defaultLanguageFile?: unknown } | undefined;
  const languages = Array.isArray(info?.additionalLanguages)
    ? (info.additionalLanguages as Array<{ file?: unknown }>).map((l) => l.file)
    : [];
  return [...new Set([...icons, ...languages, info?.defaultLanguageFile])].filter(
    (file): file is string => typeof file === 'string',
  );
}

function isPlainFileName(name: string): boolean {
  return /^[A-Za-z0-9._-]+$/.test(name) && !name.startsWith('.');
}

function readJson(file: string, name: string, errors: string[]): Record<string, unknown> | undefined {
  if (!existsSync(file)) {
    errors.push(`${name} is missing`);
    return undefined;
  }
  return parseJson(readFileSync(file), name, errors);
}

function parseJson(bytes: Uint8Array, name: string, errors: string[]): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(strFromU8(bytes).replace(/^\uFEFF/, ''));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    errors.push(`${name}: not a JSON object`);
  } catch (error) {
    errors.push(`${name}: not valid JSON (${(error as Error).message})`);
  }
  return undefined;
}
