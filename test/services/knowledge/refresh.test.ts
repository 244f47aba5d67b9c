import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import { MiniSearchKnowledgeBase } from '../../../services/knowledge';
import { createSilentLogger } from '../../../services/logger';
import { dropTestDatabase, openTestDatabase } from '../../support/database';

describe('MiniSearchKnowledgeBase.refreshIfChanged', () => {
  let connection: Connection;
  before(async () => (connection = await openTestDatabase('kbrefresh')));
  after(async () => await dropTestDatabase(connection));

  it('picks up an article written by another process (an import, a replica), and only then', async () => {
    const bot = await MiniSearchKnowledgeBase.open({ connection, logger: createSilentLogger() });
    const importer = await MiniSearchKnowledgeBase.open({ connection, logger: createSilentLogger() });
    assert.equal(await bot.refreshIfChanged(), false, 'nothing changed yet');

    await importer.upsert({
      key: 'probe-firmware',
      locale: 'en',
      title: 'Probe firmware update stalls at 40 percent',
      summary: 'Restart the probe service and retry the firmware update.',
      body: 'When the firmware update of a network probe stalls, restart HLProbe and try again.',
      module: 'network-monitoring',
      tags: ['probe'],
    });
    assert.deepEqual(
      await bot.search('firmware stalls', { locale: 'en' }),
      [],
      'the bot’s index does not know it yet',
    );

    assert.equal(await bot.refreshIfChanged(), true);
    const hits = await bot.search('firmware stalls', { locale: 'en' });
    assert.equal(hits[0]?.key, 'probe-firmware');
    assert.equal(await bot.refreshIfChanged(), false, 'no rebuild when nothing changed');
    assert.equal(await importer.refreshIfChanged(), false, 'its own write is no change for the importer');
  });

  it('counts neither its own writes nor removals as changes (the demo seed at start is not a rebuild)', async () => {
    const kb = await MiniSearchKnowledgeBase.open({ connection, logger: createSilentLogger() });
    await kb.upsert({
      key: 'agent-offline-proxy',
      locale: 'fr',
      title: 'L’agent apparaît hors ligne derrière un proxy',
      summary: 'Déclarez le proxy dans la configuration de l’agent.',
      body: 'Un agent derrière un proxy doit le connaître pour joindre le serveur.',
      module: 'agent',
      tags: ['proxy'],
    });
    assert.equal(await kb.refreshIfChanged(), false);
    assert.equal(await kb.remove('agent-offline-proxy', 'fr'), true);
    assert.equal(await kb.refreshIfChanged(), false);
  });
});
