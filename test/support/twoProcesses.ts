import assert from 'node:assert/strict';
import type { HelplineApp } from '../../bot';
import type { RawEnv } from '../../bot/config';
import { DirectLineTestClient, startTestApp } from './app';
import { uniqueDbName } from './database';

export type Activity = Record<string, unknown>;

/** Two Helpline processes on one database, as two replicas behind a load balancer would be. */
export interface TwoProcesses {
  a: HelplineApp;
  b: HelplineApp;
  /** Stops both and drops their database. */
  stop(): Promise<void>;
}

/**
 * Starts two processes on a fresh database of the run's server, with the same settings and clock.
 * The desk's background sweep is off (tests run it with `desk.sweep()`), and so is the lifecycle job.
 */
export async function startTwoProcesses(
  label: string,
  env: RawEnv = {},
  clock?: () => Date,
): Promise<TwoProcesses> {
  const settings: RawEnv = {
    MONGODB_DB: uniqueDbName(label),
    WEB_USER_TOKEN_SECRET: 'w'.repeat(40),
    DESK_SWEEP_SECONDS: '3600',
    LIFECYCLE_JOB: 'false',
    ...env,
  };
  const a = await startTestApp(label, settings, clock);
  const b = await startTestApp(label, settings, clock).catch(async (error: unknown) => {
    await a.stop();
    throw error;
  });
  return {
    a,
    b,
    async stop() {
      await a.connection.dropDatabase().catch(() => undefined);
      await a.stop();
      await b.stop();
    },
  };
}

/** Bob Singh (a Northwind contact) in the web chat of `app`, signed in by the site's user token. */
export async function signedInBob(app: HelplineApp, locale = 'en-US'): Promise<DirectLineTestClient> {
  const client = new DirectLineTestClient(app.url());
  const userToken = await app.userTokens!.sign({
    subject: 'demo-bob',
    email: 'bob@northwind.example',
    name: 'Bob Singh',
  });
  await client.start({ userToken, locale });
  return client;
}

/** The text of each message (its cards, as JSON, when it has no text). */
export const messageTexts = (activities: Activity[]): string[] =>
  activities
    .filter((a) => a.type === 'message')
    .map((a) => (typeof a.text === 'string' ? a.text : JSON.stringify(a.attachments)));

/** Reads the conversation into `seen` until `predicate` holds over everything received (15 s at most). */
export async function waitForActivities(
  client: DirectLineTestClient,
  seen: Activity[],
  predicate: (all: Activity[]) => boolean,
): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!predicate(seen) && Date.now() < deadline) {
    seen.push(...(await client.botRepliesAfterSending()));
    if (!predicate(seen)) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(predicate(seen), `not seen; got:\n${messageTexts(seen).join('\n')}`);
}
