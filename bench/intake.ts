/**
 * bench:intake — scripted partner conversations (English and French, first messages from terse
 * to complete) played against the running bot over the local Direct Line, as Web Chat does. A
 * scripted user answers each question from its own facts, presses Not solved when articles are
 * shown, taps its severity and Submit. Prints the mean and max user turns from the first message
 * to the ticket number, and the share of tickets whose fields are all right (module, severity,
 * server, version, devices as the partner meant them).
 *
 *   npm run bench:intake -- [--baseline <dir of another checkout>] [--json]
 *
 * With --baseline, the same conversations are played in the same process against the bot built
 * from that checkout (e.g. `git archive main | tar -x -C /tmp/base` with node_modules linked),
 * and the ratios are printed.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { HelplineApp } from '../bot';
import type { RawEnv } from '../bot/config';
import { DEMO_CONTACTS, type DemoContactName } from '../services/identity';
import { getTicketModel } from '../services/tickets';
import { createSilentLogger } from '../services/logger';
import { openBenchDatabase } from './support';

const { values } = parseArgs({
  options: { baseline: { type: 'string' }, json: { type: 'boolean', default: false } },
});

type Locale = 'en' | 'fr';
interface Facts {
  module: string;
  severity: 1 | 2 | 3 | 4;
  subject: string;
  description: string;
  serverUrl: string;
  steps: string;
  devices?: Array<[string, string]>;
  version: string;
}
interface Scenario {
  name: string;
  who: DemoContactName;
  locale: Locale;
  first: string;
  facts: Facts;
}

const RMM = 'https://rmm.northwind.example';
const SCENARIOS: Scenario[] = [
  {
    name: 'en terse: open a ticket',
    who: 'bob',
    locale: 'en',
    first: 'I want to open a ticket',
    facts: {
      module: 'backup',
      severity: 3,
      subject: 'Nightly backup job fails',
      description: 'The nightly backup job fails with a VSS error on two servers. I expected it to complete.',
      serverUrl: 'https://backup.northwind.example',
      steps: 'Run the nightly job from the console and watch the log',
      devices: [['5CG1234XYZ', '10452']],
      version: '7.1.4',
    },
  },
  {
    name: 'fr terse: ouvrir un ticket',
    who: 'claire',
    locale: 'fr',
    first: 'Je voudrais ouvrir un ticket',
    facts: {
      module: 'remote-control',
      severity: 3,
      subject: 'Écran noir en prise de main',
      description:
        'La prise de main à distance affiche un écran noir sur un poste. Je devrais voir le bureau.',
      serverUrl: 'https://rmm.contoso.example',
      steps: 'Ouvrir la console, lancer une session sur le poste',
      devices: [['8CC0001ABC', '20001']],
      version: '4.2.0',
    },
  },
  {
    name: 'en leeds: most agents offline, 120 devices, agent 9.5.2',
    who: 'alice',
    locale: 'en',
    first:
      'Most agents at our Leeds site show offline since this morning, about 120 devices. We run agent 9.5.2, server https://rmm.northwind.example. Steps: 1) open the console 2) filter on Leeds 3) all grey. Example: SN: 5CG7001LDS, device: 30001',
    facts: {
      module: 'rmm-agent',
      severity: 1,
      subject: 'Most agents at our Leeds site show offline since this morning',
      description: 'x',
      serverUrl: RMM,
      steps: '1) open the console',
      devices: [['5CG7001LDS', '30001']],
      version: '9.5.2',
    },
  },
  {
    name: 'en patch on 40 workstations',
    who: 'bob',
    locale: 'en',
    first:
      'The KB5034441 patch fails to install on 40 workstations with error 0x80070643. Patch management v2026.2, console https://patch.northwind.example. To reproduce: approve KB5034441 and run the deployment job. Device SN: 5CG4000PAT, device: 40001',
    facts: {
      module: 'patch-management',
      severity: 2,
      subject: 'x',
      description: 'x',
      serverUrl: 'https://patch.northwind.example',
      steps: 'approve KB5034441',
      devices: [['5CG4000PAT', '40001']],
      version: '2026.2',
    },
  },
  {
    name: 'en ticket lead-in with colon',
    who: 'bob',
    locale: 'en',
    first:
      'I need to open a ticket: remote control sessions show a black screen on one PC. We are on 4.1.3. Steps: 1) open the console 2) start a session 3) black screen. SN 5CG1111RCX, device 10501. Server https://rmm.northwind.example',
    facts: {
      module: 'remote-control',
      severity: 3,
      subject: 'Remote control sessions show a black screen on one PC',
      description: 'x',
      serverUrl: RMM,
      steps: '1) open the console',
      devices: [['5CG1111RCX', '10501']],
      version: '4.1.3',
    },
  },
  {
    name: 'en server completely down',
    who: 'david',
    locale: 'en',
    first:
      'Our RMM server is completely down, nobody can connect. https://rmm.contoso.example, version 9.5.2',
    facts: {
      module: 'rmm-agent',
      severity: 1,
      subject: 'x',
      description: 'x',
      serverUrl: 'https://rmm.contoso.example',
      steps: 'Open the console URL in a browser',
      devices: [['CT0001SRV', '90001']],
      version: '9.5.2',
    },
  },
  {
    name: 'en backup, just the problem',
    who: 'bob',
    locale: 'en',
    first: 'the backup job failed with a VSS error on SRV-FS01',
    facts: {
      module: 'backup',
      severity: 3,
      subject: 'x',
      description: 'x',
      serverUrl: 'https://backup.northwind.example',
      steps: 'Run the job',
      devices: [['SRVFS01SN', '501']],
      version: '7.1.4',
    },
  },
  {
    name: 'en snmp discovery, module and version',
    who: 'claire',
    locale: 'en',
    first: 'SNMP devices are not discovered by the network monitoring probe since we upgraded to 3.8.1',
    facts: {
      module: 'network-monitoring',
      severity: 3,
      subject: 'x',
      description: 'x',
      serverUrl: 'https://netmon.contoso.example',
      steps: 'Run a discovery on 10.0.0.0/24',
      devices: [['SW-4410-01', '7001']],
      version: '3.8.1',
    },
  },
  {
    name: 'en portal MFA loop, complete',
    who: 'alice',
    locale: 'en',
    first:
      'Partner portal sign-in loops back to the MFA page for all our technicians. Portal 2026.4, https://partners.vendor.example. To reproduce: sign in with an MFA-enabled account. Expected: the dashboard opens.',
    facts: {
      module: 'partner-portal',
      severity: 2,
      subject: 'x',
      description: 'x',
      serverUrl: 'https://partners.vendor.example',
      steps: 'sign in with an MFA-enabled account',
      version: '2026.4',
    },
  },
  {
    name: 'en agent on 9.4.7, one device',
    who: 'bob',
    locale: 'en',
    first:
      'One agent stopped reporting after a reboot, on 9.4.7. Device: serial 5CG2222AGT / device 22222. Server https://rmm.northwind.example',
    facts: {
      module: 'rmm-agent',
      severity: 3,
      subject: 'x',
      description: 'x',
      serverUrl: RMM,
      steps: 'Reboot the machine and wait for the agent',
      devices: [['5CG2222AGT', '22222']],
      version: '9.4.7',
    },
  },
  {
    name: 'en terse two words',
    who: 'claire',
    locale: 'en',
    first: 'agent offline',
    facts: {
      module: 'rmm-agent',
      severity: 3,
      subject: 'Agent offline on one laptop',
      description: 'The agent on one laptop shows offline since yesterday although the laptop is online.',
      serverUrl: 'https://rmm.contoso.example',
      steps: 'Open the console and look at the device list',
      devices: [['8CC3333LAP', '33333']],
      version: '9.5.2',
    },
  },
  {
    name: 'en backup restore, everything but steps',
    who: 'david',
    locale: 'en',
    first:
      'Restore of a file from last night fails with "snapshot not found" on backup 7.1.4, https://backup.contoso.example, SN: CT5555BKP, device: 55555. I expected the file back.',
    facts: {
      module: 'backup',
      severity: 3,
      subject: 'x',
      description: 'x',
      serverUrl: 'https://backup.contoso.example',
      steps: 'Pick the file in the restore wizard and press Restore',
      devices: [['CT5555BKP', '55555']],
      version: '7.1.4',
    },
  },
  {
    name: 'fr leeds en français : la plupart des agents hors ligne',
    who: 'claire',
    locale: 'fr',
    first:
      'La plupart des agents de notre site de Lyon sont hors ligne depuis ce matin, environ 80 postes. Nous sommes en version 9.5.2, serveur https://rmm.contoso.example. Étapes : 1) ouvrir la console 2) filtrer sur Lyon. N° de série 8CC7777LYO, n° d’appareil 77777',
    facts: {
      module: 'rmm-agent',
      severity: 2,
      subject: 'x',
      description: 'x',
      serverUrl: 'https://rmm.contoso.example',
      steps: '1) ouvrir la console',
      devices: [['8CC7777LYO', '77777']],
      version: '9.5.2',
    },
  },
  {
    name: 'fr correctif KB sur 30 postes',
    who: 'claire',
    locale: 'fr',
    first:
      'Le correctif KB5034441 échoue sur 30 postes avec l’erreur 0x80070643, gestion des correctifs 2026.2. Pour reproduire : approuver le correctif puis lancer le déploiement.',
    facts: {
      module: 'patch-management',
      severity: 2,
      subject: 'x',
      description: 'x',
      serverUrl: 'https://patch.contoso.example',
      steps: 'approuver le correctif',
      devices: [['8CC3000PAT', '30030']],
      version: '2026.2',
    },
  },
  {
    name: 'fr ticket avec deux-points',
    who: 'claire',
    locale: 'fr',
    first:
      'Je dois ouvrir un ticket : la sauvegarde de nuit échoue sur le serveur SRV-FS01 depuis la mise à jour en 7.1.4. Résultat attendu : la sauvegarde se termine. Serveur https://backup.contoso.example',
    facts: {
      module: 'backup',
      severity: 3,
      subject: 'x',
      description: 'x',
      serverUrl: 'https://backup.contoso.example',
      steps: 'Lancer la tâche de nuit à la main',
      devices: [['SRVFS01CT', '6001']],
      version: '7.1.4',
    },
  },
  {
    name: 'fr prise de main, court',
    who: 'claire',
    locale: 'fr',
    first: 'écran noir en prise de main',
    facts: {
      module: 'remote-control',
      severity: 3,
      subject: 'Écran noir en prise de main sur un poste',
      description: 'La session de prise de main affiche un écran noir sur un poste Windows 11.',
      serverUrl: 'https://rmm.contoso.example',
      steps: 'Lancer une session depuis la console',
      devices: [['8CC4444RC', '44444']],
      version: '4.2.0',
    },
  },
  {
    name: 'fr serveur complètement hors service',
    who: 'claire',
    locale: 'fr',
    first:
      'Notre serveur RMM est complètement hors service, plus rien ne fonctionne. https://rmm.contoso.example',
    facts: {
      module: 'rmm-agent',
      severity: 2,
      subject: 'x',
      description: 'x',
      serverUrl: 'https://rmm.contoso.example',
      steps: 'Ouvrir la console',
      devices: [['8CC9999SRV', '99999']],
      version: '9.5.2',
    },
  },
  {
    name: 'fr sonde réseau en 3.8.1 avec appareil',
    who: 'claire',
    locale: 'fr',
    first:
      'La sonde de supervision réseau ne remonte plus les switchs depuis la mise à jour en 3.8.1. Appareil : n° de série SW-9000-02, n° d’appareil 9002. https://netmon.contoso.example',
    facts: {
      module: 'network-monitoring',
      severity: 3,
      subject: 'x',
      description: 'x',
      serverUrl: 'https://netmon.contoso.example',
      steps: 'Relancer la découverte',
      devices: [['SW-9000-02', '9002']],
      version: '3.8.1',
    },
  },
  {
    name: 'en version written as version 9.5.2, steps as lines',
    who: 'bob',
    locale: 'en',
    first:
      'Agent install fails on new Windows servers, version 9.5.2.\n1. Download the installer\n2. Run it as admin\n3. It stops at 80%\nServer https://rmm.northwind.example, SN: 5CG6666NEW, device: 66666',
    facts: {
      module: 'rmm-agent',
      severity: 3,
      subject: 'x',
      description: 'x',
      serverUrl: RMM,
      steps: '1. Download the installer',
      devices: [['5CG6666NEW', '66666']],
      version: '9.5.2',
    },
  },
  {
    name: 'en backup on all servers, severity given',
    who: 'bob',
    locale: 'en',
    first:
      'Backups fail on all our file servers since the update, severity 2. Backup 7.1.4 at https://backup.northwind.example',
    facts: {
      module: 'backup',
      severity: 2,
      subject: 'x',
      description: 'x',
      serverUrl: 'https://backup.northwind.example',
      steps: 'Run any backup job',
      devices: [['5CG8888FS', '88888']],
      version: '7.1.4',
    },
  },
  {
    name: 'fr terse: nouveau ticket',
    who: 'claire',
    locale: 'fr',
    first: 'ouvrir un ticket',
    facts: {
      module: 'partner-portal',
      severity: 4,
      subject: 'Export CSV du portail vide',
      description:
        'L’export CSV des licences dans le portail partenaire donne un fichier vide. Il devrait contenir nos licences.',
      serverUrl: 'https://partners.vendor.example',
      steps: 'Licences, Exporter, CSV',
      version: '2026.4',
    },
  },
];

/** A minimal Direct Line client over plain HTTP, as Web Chat would use it. */
class Chat {
  private token = '';
  private conversationId = '';
  private watermark = 0;
  constructor(
    private readonly base: string,
    private readonly locale: string,
  ) {}
  async start(userToken: string): Promise<void> {
    const generated = await this.call('POST', '/directline/tokens/generate', { userToken }, '');
    this.token = String(generated.token);
    const started = await this.call('POST', '/directline/conversations', {});
    this.conversationId = String(started.conversationId);
    await this.replies();
  }
  async send(text: string, value?: object): Promise<Array<Record<string, unknown>>> {
    await this.call('POST', `/directline/conversations/${this.conversationId}/activities`, {
      type: 'message',
      from: { id: 'user' },
      text,
      locale: this.locale,
      ...(value && { value }),
    });
    return await this.replies();
  }
  private async replies(): Promise<Array<Record<string, unknown>>> {
    const res = await this.call(
      'GET',
      `/directline/conversations/${this.conversationId}/activities?watermark=${this.watermark}`,
    );
    this.watermark = Number(res.watermark);
    return (res.activities as Array<Record<string, unknown>>).filter(
      (a) => (a.from as { role?: string } | undefined)?.role === 'bot',
    );
  }
  private async call(
    method: string,
    route: string,
    body?: unknown,
    token = this.token,
  ): Promise<Record<string, unknown>> {
    const res = await fetch(`${this.base}${route}`, {
      method,
      headers: {
        ...(body !== undefined && { 'Content-Type': 'application/json' }),
        ...(token && { Authorization: `Bearer ${token}` }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }
}

function shown(activities: Array<Record<string, unknown>>): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      for (const [key, v] of Object.entries(node)) {
        if ((key === 'text' || key === 'title') && typeof v === 'string') parts.push(v);
        else if (typeof v === 'object') walk(v);
      }
    }
  };
  walk(activities);
  return parts.join('\n');
}

function draftIdIn(activities: Array<Record<string, unknown>>): string | undefined {
  let found: string | undefined;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.draftId === 'string' && o.intake === 'submit') found = o.draftId;
      Object.values(o).forEach(walk);
    }
  };
  walk(activities);
  return found;
}

interface Tree {
  createApp: typeof import('../bot').createApp;
  loadConfig: typeof import('../bot/config').loadConfig;
  t: (locale: Locale, key: string, vars?: Record<string, string>) => string;
  catalogue: { get(id: string): { name: Record<Locale, string> } | undefined };
}

async function loadTree(dir: string): Promise<Tree> {
  const bot = (await import(path.join(dir, 'bot'))) as typeof import('../bot');
  const config = (await import(path.join(dir, 'bot', 'config'))) as typeof import('../bot/config');
  const texts = (await import(path.join(dir, 'dialogs', 'texts'))) as {
    t: Tree['t'];
  };
  const cat = (await import(path.join(dir, 'services', 'catalogue'))) as {
    StaticProductCatalogue: new () => Tree['catalogue'];
  };
  return {
    createApp: bot.createApp,
    loadConfig: config.loadConfig,
    t: texts.t,
    catalogue: new cat.StaticProductCatalogue(),
  };
}

interface Outcome {
  name: string;
  turns: number;
  number?: string;
  right: boolean;
  wrong: string[];
}

/** The prompt a bot reply asks, by the text it starts with. */
function prefix(tree: Tree, locale: Locale, key: string, moduleName: string): string | undefined {
  // A baseline tree may not have this question at all.
  let text: string | undefined;
  try {
    // With the module's name, as asked: French elides before it ("version d’Agent…").
    text = tree.t(locale, key, { module: moduleName });
  } catch {
    return undefined;
  }
  return text?.split(/[{(]/)[0]?.trim().slice(0, 40) || undefined;
}

async function play(app: HelplineApp, tree: Tree, scenario: Scenario): Promise<Outcome> {
  const { locale, facts } = scenario;
  const contact = DEMO_CONTACTS[scenario.who];
  const chat = new Chat(app.url(), locale === 'fr' ? 'fr-FR' : 'en-US');
  const userToken = await app.userTokens!.sign({
    subject: contact.webSubject,
    email: contact.email,
    name: contact.name,
  });
  await chat.start(userToken);
  let last = await chat.send(scenario.first);
  let turns = 1;
  const say = async (text: string, value?: object): Promise<void> => {
    last = await chat.send(text, value);
    turns++;
  };
  const moduleName = tree.catalogue.get(facts.module)?.name[locale] ?? facts.module;
  const answers: Array<[string, () => string]> = [
    ['intake.askModule', () => moduleName],
    ['intake.askSubject', () => (facts.subject === 'x' ? 'A short subject line' : facts.subject)],
    [
      'intake.askProblem',
      () =>
        facts.subject === 'x'
          ? 'The problem as described above, still happening.'
          : `${facts.subject}. ${facts.description}`,
    ],
    ['intake.askServerAndVersion', () => `${facts.serverUrl}, version ${facts.version}`],
    [
      'intake.askDescription',
      () =>
        facts.description === 'x' ? 'The problem as described above, still happening.' : facts.description,
    ],
    ['intake.askSeverity', () => tree.t(locale, `intake.severityChoice${facts.severity}`)],
    ['intake.askServerUrl', () => facts.serverUrl],
    ['intake.askSteps', () => facts.steps],
    ['intake.askDevices', () => (facts.devices ?? []).map(([s, d]) => `SN: ${s}, device: ${d}`).join('\n')],
    ['intake.askVersion', () => facts.version],
    ['intake.confirm24x7', () => tree.t(locale, facts.severity === 1 ? 'intake.yes' : 'intake.no')],
    ['intake.billingHint', () => tree.t(locale, 'intake.no')],
  ];
  for (let guard = 0; guard < 25; guard++) {
    const text = shown(last);
    const number = /\bHL-\d{4,}\b/.exec(text)?.[0];
    if (number) return { name: scenario.name, turns, number, right: false, wrong: [] };
    const draftId = draftIdIn(last);
    if (draftId) {
      await say('', { intake: 'submit', draftId });
      continue;
    }
    const notSolved = tree.t(locale, 'kb.choiceNotSolved');
    const openTicket = tree.t(locale, 'kb.choiceOpenTicket');
    if (text.includes(notSolved)) {
      await say(notSolved);
      continue;
    }
    if (text.includes(openTicket)) {
      await say(openTicket);
      continue;
    }
    // The question asked last in the replies.
    const hits = answers
      .map(([key, answer]) => {
        const asked = prefix(tree, locale, key, moduleName);
        return { at: asked ? text.lastIndexOf(asked) : -1, answer };
      })
      .filter((h) => h.at >= 0)
      .sort((a, b) => b.at - a.at);
    const hit = hits[0];
    if (!hit) break;
    await say(hit.answer());
  }
  return { name: scenario.name, turns, right: false, wrong: ['no ticket number'] };
}

interface StoredTicket {
  module?: string;
  severity?: number;
  serverUrl?: string;
  productVersion?: string;
  stepsToReproduce?: string;
  subject?: string;
  devices?: Array<{ serialNumber: string; deviceNumber: string }>;
}

async function check(app: HelplineApp, outcome: Outcome, facts: Facts): Promise<Outcome> {
  if (!outcome.number) return outcome;
  const doc = (await getTicketModel(app.connection)
    .findOne({ number: outcome.number })
    .lean()
    .exec()) as StoredTicket | null;
  const wrong: string[] = [];
  if (!doc) return { ...outcome, wrong: ['ticket not found'] };
  if (doc.module !== facts.module) wrong.push(`module ${doc.module ?? '-'}`);
  if (doc.severity !== facts.severity) wrong.push(`severity ${doc.severity ?? '-'}`);
  if (doc.serverUrl !== facts.serverUrl) wrong.push(`serverUrl ${doc.serverUrl ?? '-'}`);
  if (doc.productVersion !== facts.version) wrong.push(`version ${doc.productVersion ?? '-'}`);
  const steps = doc.stepsToReproduce ?? '';
  if (!steps.includes(facts.steps.slice(0, 12))) wrong.push(`steps ${steps.slice(0, 40)}`);
  const devices = doc.devices ?? [];
  const expected = facts.devices ?? [];
  if (
    expected.length &&
    (devices.length !== expected.length ||
      expected.some(([s, d], i) => devices[i]?.serialNumber !== s || devices[i]?.deviceNumber !== d))
  )
    wrong.push(`devices ${devices.map((d) => `${d.serialNumber}/${d.deviceNumber}`).join(',')}`);
  if (!(doc.subject ?? '').trim()) wrong.push('subject');
  return { ...outcome, right: wrong.length === 0, wrong };
}

async function runTree(label: string, dir: string, uri: string): Promise<Outcome[]> {
  const tree = await loadTree(dir);
  const env: RawEnv = {
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_URI: uri,
    MONGODB_DB: `bench_intake_${label}_${Date.now()}`,
    LOG_LEVEL: 'silent',
    PATH: process.env.PATH,
    DIRECTLINE_TOKENS_PER_MINUTE: '10000',
  };
  const app = await tree.createApp(tree.loadConfig(env), { logger: createSilentLogger() });
  await app.listen();
  const outcomes: Outcome[] = [];
  try {
    for (const scenario of SCENARIOS) {
      outcomes.push(await check(app, await play(app, tree, scenario), scenario.facts));
    }
  } finally {
    await app.connection.dropDatabase().catch(() => undefined);
    await app.stop();
  }
  return outcomes;
}

function summary(outcomes: Outcome[]): { mean: number; max: number; right: number; opened: number } {
  const turns = outcomes.map((o) => o.turns);
  return {
    mean: Math.round((turns.reduce((a, b) => a + b, 0) / turns.length) * 100) / 100,
    max: Math.max(...turns),
    right: Math.round((outcomes.filter((o) => o.right).length / outcomes.length) * 1000) / 10,
    opened: outcomes.filter((o) => o.number).length,
  };
}

async function main(): Promise<void> {
  const db = await openBenchDatabase(process.env);
  try {
    const ours = await runTree('ours', path.join(__dirname, '..'), db.uri);
    const base = values.baseline ? await runTree('base', path.resolve(values.baseline), db.uri) : undefined;
    const report = {
      conversations: SCENARIOS.length,
      ours: summary(ours),
      ...(base && { baseline: summary(base) }),
      perConversation: ours.map((o, i) => ({
        name: o.name,
        turns: o.turns,
        ...(base && { baselineTurns: base[i]?.turns }),
        right: o.right,
        ...(o.wrong.length && { wrong: o.wrong.join('; ') }),
      })),
    };
    if (values.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return;
    }
    const lines = [
      `bench:intake — ${SCENARIOS.length} scripted conversations (EN + FR), web chat over Direct Line`,
    ];
    for (const row of report.perConversation) {
      lines.push(
        `  ${row.turns.toString().padStart(2)} turns${row.baselineTurns !== undefined ? ` (baseline ${row.baselineTurns})` : ''}  ${row.right ? 'right' : 'WRONG'}  ${row.name}${row.wrong ? `  [${row.wrong}]` : ''}`,
      );
    }
    const o = report.ours;
    lines.push(
      `ours:     mean ${o.mean} turns, max ${o.max}; tickets opened ${o.opened}/${SCENARIOS.length}; fields all right ${o.right}%`,
    );
    if (report.baseline) {
      const b = report.baseline;
      lines.push(
        `baseline: mean ${b.mean} turns, max ${b.max}; tickets opened ${b.opened}/${SCENARIOS.length}; fields all right ${b.right}%`,
      );
      lines.push(
        `ratio ours/baseline: mean turns ${(o.mean / b.mean).toFixed(2)}, max turns ${(o.max / b.max).toFixed(2)}`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await db.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
