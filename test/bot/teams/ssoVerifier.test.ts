import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { SsoTokenError, TeamsSsoVerifier, type SsoRefusal } from '../../../bot/teams/ssoVerifier';
import { EntraStandIn, TEST_SSO_CLIENT_ID } from '../../support/entraStandIn';

const TENANT = 'tenant-northwind';
const USER = {
  tenantId: TENANT,
  aadObjectId: 'aad-alice',
  email: 'Alice@Northwind.example',
  name: 'Alice Martin',
};

describe('TeamsSsoVerifier (the My requests tab token)', () => {
  const entra = new EntraStandIn();
  let verifier: TeamsSsoVerifier;

  before(async () => {
    await entra.start();
    verifier = new TeamsSsoVerifier({
      audiences: [TEST_SSO_CLIENT_ID, `api://helpline.example.com/${TEST_SSO_CLIENT_ID}`],
      jwksUrl: entra.jwksUrl(),
    });
  });
  after(async () => await entra.stop());

  async function refusal(token: string | undefined): Promise<SsoRefusal> {
    try {
      await verifier.verify(token);
    } catch (error) {
      assert.ok(error instanceof SsoTokenError, String(error));
      return error.reason;
    }
    assert.fail('the token was accepted');
  }

  it('accepts a v1 token for the api:// resource and names the user from its upn', async () => {
    const user = await verifier.verify(await entra.token({ ...USER, version: '1.0' }));
    assert.deepEqual(user, {
      aadObjectId: 'aad-alice',
      tenantId: TENANT,
      email: 'alice@northwind.example',
      name: 'Alice Martin',
    });
  });

  it('accepts a v2 token for the client id and names the user from preferred_username', async () => {
    const user = await verifier.verify(await entra.token({ ...USER, version: '2.0' }));
    assert.equal(user.email, 'alice@northwind.example');
    assert.equal(user.aadObjectId, 'aad-alice');
  });

  it('refuses a token signed by a key Entra does not publish', async () => {
    assert.equal(await refusal(await entra.token({ ...USER, forged: true })), 'invalid');
  });

  it('refuses an expired token', async () => {
    assert.equal(await refusal(await entra.token({ ...USER, expiresIn: -600 })), 'expired');
  });

  it('refuses a token for another application', async () => {
    const other = await entra.token({
      ...USER,
      audience: 'api://other.example.com/00000000-0000-0000-0000-000000000001',
    });
    assert.equal(await refusal(other), 'audience');
  });

  it('refuses a token without the access_as_user scope', async () => {
    assert.equal(await refusal(await entra.token({ ...USER, scope: 'User.Read' })), 'scope');
  });

  it('refuses a token whose issuer is another tenant, or does not match its version', async () => {
    assert.equal(
      await refusal(await entra.token({ ...USER, issuer: 'https://sts.windows.net/tenant-contoso/' })),
      'issuer',
    );
    assert.equal(
      await refusal(
        await entra.token({ ...USER, version: '2.0', issuer: `https://sts.windows.net/${TENANT}/` }),
      ),
      'issuer',
    );
  });

  it('refuses an unsigned or HMAC-signed token, and no token at all', async () => {
    const hmac = await new SignJWT({ oid: 'aad-alice', tid: TENANT, scp: 'access_as_user', ver: '2.0' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(`https://login.microsoftonline.com/${TENANT}/v2.0`)
      .setAudience(TEST_SSO_CLIENT_ID)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-secret-anyone-could-guess-0123456789'));
    assert.equal(await refusal(hmac), 'invalid');
    const [header, payload] = hmac.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
    assert.ok(header);
    assert.equal(await refusal(none), 'invalid');
    assert.equal(await refusal(undefined), 'missing');
    assert.equal(await refusal('not a token'), 'invalid');
  });

  it('fetches the key set once and reuses it', async () => {
    const before = entra.fetches;
    for (let i = 0; i < 5; i++) await verifier.verify(await entra.token(USER));
    assert.ok(entra.fetches - before <= 1, `fetched ${entra.fetches - before} times`);
  });
});
