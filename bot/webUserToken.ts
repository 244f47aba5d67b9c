import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { VerifiedWebIdentity } from './directLine/store';

const claimsSchema = z.object({
  sub: z.string().min(1).max(200),
  email: z.email().max(320).optional(),
  name: z.string().max(200).optional(),
});

/**
 * Site-signed user tokens (HS256 JWT with `sub`, `email`, `name` and `exp`): the support site
 * signs one for its signed-in user, Helpline verifies it when the conversation is created and
 * binds that identity to the conversation on the server.
 */
export class WebUserTokens {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  async verify(token: string): Promise<VerifiedWebIdentity> {
    const { payload } = await jwtVerify(token, this.key, {
      algorithms: ['HS256'],
      requiredClaims: ['sub', 'exp'],
    });
    const claims = claimsSchema.parse(payload);
    return { subject: claims.sub, email: claims.email?.toLowerCase(), name: claims.name };
  }

  /** What the site's backend does; Helpline uses it only for the demo sign-in and tests. */
  async sign(identity: VerifiedWebIdentity, ttlSeconds = 3600): Promise<string> {
    return await new SignJWT({
      ...(identity.email && { email: identity.email }),
      ...(identity.name && { name: identity.name }),
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(identity.subject)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(this.key);
  }
}
