import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/** The tab's Entra app in tests: its client id and the domain of its `api://` resource. */
export const TEST_SSO_CLIENT_ID = '3f6c2b1a-9d8e-4c7b-a6f5-0e1d2c3b4a59';

export interface SsoTokenOptions {
  tenantId: string;
  aadObjectId: string;
  email?: string;
  name?: string;
  /** v1 tokens (what Teams SSO gives by default) carry `upn` and the sts.windows.net issuer. */
  version?: '1.0' | '2.0';
  audience?: string;
  scope?: string;
  issuer?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  /** Sign with a key the JWKS does not publish (a forgery). */
  forged?: boolean;
}

/**
 * A stand-in for Microsoft Entra ID's signing keys: a JWKS served over HTTP, as
 * login.microsoftonline.com publishes it, and tokens signed the way Entra signs the Teams SSO
 * token (RS256, `kid`, v1 or v2 claims), so the real jose verification runs against it.
 */
export class EntraStandIn {
  private server: Server | undefined;
  private signing: { kid: string; privateKey: CryptoKey; jwk: JWK } | undefined;
  private forger: CryptoKey | undefined;
  /** How many times the JWKS was fetched. */
  fetches = 0;

  async start(): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = randomUUID();
    this.signing = {
      kid,
      privateKey,
      jwk: { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' },
    };
    this.forger = (await generateKeyPair('RS256')).privateKey;
    this.server = createServer((req, res) => {
      if (req.url !== '/discovery/v2.0/keys') {
        res.writeHead(404).end();
        return;
      }
      this.fetches++;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ keys: [this.signing?.jwk] }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this.jwksUrl();
  }

  jwksUrl(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/discovery/v2.0/keys`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A Teams SSO token for Helpline's tab, as `authentication.getAuthToken()` returns it. */
  async token(options: SsoTokenOptions): Promise<string> {
    const version = options.version ?? '1.0';
    const email = options.email;
    const claims: Record<string, unknown> = {
      oid: options.aadObjectId,
      tid: options.tenantId,
      scp: options.scope ?? 'access_as_user',
      ver: version,
      name: options.name ?? 'Test User',
      ...(email && version === '1.0' ? { upn: email, unique_name: email } : {}),
      ...(email && version === '2.0' ? { preferred_username: email } : {}),
    };
    const issuer =
      options.issuer ??
      (version === '1.0'
        ? `https://sts.windows.net/${options.tenantId}/`
        : `https://login.microsoftonline.com/${options.tenantId}/v2.0`);
    const audience =
      options.audience ??
      (version === '1.0' ? `api://helpline.example.com/${TEST_SSO_CLIENT_ID}` : TEST_SSO_CLIENT_ID);
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = options.expiresIn ?? 3600;
    return await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.signing!.kid })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(randomUUID())
      .setIssuedAt(now - 300 + Math.min(0, expiresIn))
      .setNotBefore(now - 300 + Math.min(0, expiresIn))
      .setExpirationTime(now + expiresIn)
      .sign(options.forged ? this.forger! : this.signing!.privateKey);
  }
}

/** The configuration a test app needs to accept the stand-in's tokens. */
export function ssoEnv(entra: EntraStandIn): Record<string, string> {
  return {
    PUBLIC_URL: 'https://helpline.example.com',
    TEAMS_SSO_CLIENT_ID: TEST_SSO_CLIENT_ID,
    TEAMS_SSO_JWKS_URL: entra.jwksUrl(),
  };
}
