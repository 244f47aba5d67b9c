import assert from 'node:assert/strict';
import { loadConfig } from '../../bot/config';
import { AppError } from '../../services/errors';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3978);
    assert.equal(config.database.uri, undefined);
    assert.equal(config.database.name, 'helpline');
    assert.equal(config.bot.appId, undefined);
    assert.equal(config.bot.appType, 'MultiTenant');
    assert.equal(config.logLevel, 'info');
    assert.equal(config.demoData, true);
  });

  it('lists every invalid option with a readable reason', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty', MONGODB_URI: 'postgres://x', LOG_LEVEL: 'loud' }),
      (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.equal(error.code, 'config_invalid');
        assert.match(error.message, /PORT/);
        assert.match(error.message, /MONGODB_URI/);
        assert.match(error.message, /must start with mongodb:\/\//);
        assert.match(error.message, /LOG_LEVEL/);
        return true;
      },
    );
  });

  it('requires the app password when an app id is set', () => {
    assert.throws(
      () => loadConfig({ MicrosoftAppId: '00000000-0000-0000-0000-000000000001' }),
      /MicrosoftAppPassword/,
    );
  });

  it('treats empty strings as unset', () => {
    const config = loadConfig({ MONGODB_URI: '', MicrosoftAppId: ' ' });
    assert.equal(config.database.uri, undefined);
    assert.equal(config.bot.appId, undefined);
  });
});
