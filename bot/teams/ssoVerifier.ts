import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';

/** The user a verified Teams SSO token names. */
export interface TeamsSsoUser {
  /** Entra (AAD) object id: `oid`. */
  aadObjectId: string;
  /** Tenant id: `tid`. */
  tenantId: string;
  /** `preferred_username` (v2), else `upn` or `unique_name` (v1): the user's sign-in address. */
  email: string | undefined;
  name: string | undefined;
}

/** Why a token was refused; the tab API answers 401 for every one of them. */
export type SsoRefusal = 'missing' | 'invalid' | 'expired' | 'audience' | 'issuer' | 'scope';

export class SsoTokenError extends Error {
  constructor(readonly reason: SsoRefusal) {
    super(`Teams SSO token refused: ${reason}`);
    this.name = 'SsoTokenError';
  }
}

export interface TeamsSsoVerifierOptions {
  /** Accepted `aud` values: the app's client id and `api://<domain>/<client id>`. */
  audiences: string[];
  /** Entra's JWKS (a local one in tests). */
  jwksUrl: string;
  /** The scope the tab's token must grant; `access_as_user` when absent. */
  scope?: string;
  clock?: () => Date;
}

const claimsSchema = z.object({
  oid: z.string().min(1).max(100),
  tid: z.string().min(1).max(100),
  iss: z.string(),
  scp: z.string().optional(),
  ver: z.string().optional(),
  preferred_username: z.string().max(320).optional(),
  upn: z.string().max(320).optional(),
  unique_name: z.string().max(320).optional(),
  name: z.string().max(300).optional(),
});

/**
 * Verifies the token `authentication.getAuthToken()` gives the "My requests" tab: an Entra ID
 * access token for Helpline's own API. Signature against Entra's published keys (RS256 only),
 * expiry, audience (the client id or its `api://` resource), an issuer of the token's own tenant
 * in the v1 or v2 form matching its `ver`, and the delegated scope `access_as_user`.
 */
export class TeamsSsoVerifier {
  private readonly keys: JWTVerifyGetKey;
  private readonly scope: string;
  private readonly clock: () => Date;

  constructor(private readonly options: TeamsSsoVerifierOptions) {
    // jose caches the key set and refetches it (at most every 30 s) when a token names an unknown key.
    this.keys = createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: 3000 });
    this.scope = options.scope ?? 'access_as_user';
    this.clock = options.clock ?? (() => new Date());
  }

  async verify(token: string | undefined): Promise<TeamsSsoUser> {
    if (!token) throw new SsoTokenError('missing');
    if (!this.options.audiences.length) throw new SsoTokenError('audience');
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        algorithms: ['RS256'],
        audience: this.options.audiences,
        requiredClaims: ['exp', 'iss', 'oid', 'tid'],
        clockTolerance: 60,
        currentDate: this.clock(),
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new SsoTokenError('expired');
      if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'aud') {
        throw new SsoTokenError('audience');
      }
      throw new SsoTokenError('invalid');
    }
    const parsed = claimsSchema.safeParse(payload);
    if (!parsed.success) throw new SsoTokenError('invalid');
    const claims = parsed.data;
    const v1 = `https://sts.windows.net/${claims.tid}/`;
    const v2 = `https://login.microsoftonline.com/${claims.tid}/v2.0`;
    const issuerOk =
      claims.ver === '1.0' ? claims.iss === v1 : claims.ver === '2.0' ? claims.iss === v2 : false;
    if (!issuerOk) throw new SsoTokenError('issuer');
    if (!(claims.scp ?? '').split(' ').includes(this.scope)) throw new SsoTokenError('scope');
    return {
      aadObjectId: claims.oid,
      tenantId: claims.tid,
      email: (claims.preferred_username ?? claims.upn ?? claims.unique_name)?.toLowerCase(),
      name: claims.name,
    };
  }
}
