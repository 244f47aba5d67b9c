import assert from 'node:assert/strict';
import { createServer, connect, type AddressInfo } from 'node:net';
import { AppError, isDatabaseUnavailable } from '../../services/errors';

/** The error Node gives a write on a socket whose other end has closed, as a database server that went away. */
async function socketEndedError(): Promise<Error> {
  const server = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    await new Promise((resolve) => socket.once('end', resolve));
    return await new Promise<Error>((resolve) => {
      socket.once('error', resolve);
      socket.write('more', (error) => error && resolve(error));
    });
  } finally {
    server.close();
  }
}

describe('isDatabaseUnavailable', () => {
  it('is true for a socket closed by the server under a write (the driver passes it on unwrapped)', async () => {
    const error = await socketEndedError();
    assert.equal((error as NodeJS.ErrnoException).code, 'EPIPE');
    assert.equal(isDatabaseUnavailable(error), true);
  });

  it('is true for the driver’s network and selection errors, and for our own database_unavailable', () => {
    for (const name of ['MongoNetworkError', 'MongoServerSelectionError', 'MongoPoolClearedError']) {
      const error = new Error('gone');
      error.name = name;
      assert.equal(isDatabaseUnavailable(error), true, name);
    }
    assert.equal(isDatabaseUnavailable(new AppError('database_unavailable', 'gone')), true);
  });

  it('is false for other failures', () => {
    assert.equal(isDatabaseUnavailable(new Error('bad input')), false);
    assert.equal(isDatabaseUnavailable(new AppError('not_found', 'no such ticket')), false);
    assert.equal(isDatabaseUnavailable('EPIPE'), false);
  });
});
