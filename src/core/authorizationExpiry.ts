/**
 * Anything with a server-clock expiry received at a known client time: a POST policy
 * (`OssAuthorization`) or a presigned PUT URL (`AttachmentUploadUrl`).
 */
export interface ExpiringGrant {
  /** Expiry in ms since the epoch, on the server's clock. */
  expiresAt: number;
  /** Client clock (ms) when the answer arrived. */
  receivedAt: number;
  /** Server clock minus client clock (ms) at arrival; null when unknown. */
  serverClockOffset: number | null;
}

/** Longest safety margin: enough for a request to reach OSS before the policy lapses (docs/oss-protocol.md §8: the official demo keeps 3 s). */
export const MAX_SAFETY_MARGIN_MS = 15_000;

/**
 * Lifetime assumed when the server's time is unknown and the client clock gives an implausible
 * answer: getOSSTempAuthor authorizations typically last 2 minutes (docs/oss-protocol.md §6 "Validity and limits").
 */
export const ASSUMED_LIFETIME_MS = 120_000;

const MAX_TRUSTED_CLIENT_LIFETIME_MS = 60 * 60_000;

/**
 * How long (ms) the authorization was valid for when it arrived, judged on the server's clock.
 *
 * docs/oss-protocol.md §8 "Expiry and clocks": `expire` is server time, and the browser's clock may be off by
 * minutes. With the server's `Date` at arrival the lifetime is exact (to the header's 1 s); without
 * it, the client clock is used only when its answer is plausible, else the documented 2 minutes.
 */
export function getAuthorizationLifetime(auth: ExpiringGrant): number {
  if (auth.serverClockOffset !== null) return auth.expiresAt - (auth.receivedAt + auth.serverClockOffset);
  const byClientClock = auth.expiresAt - auth.receivedAt;
  return byClientClock > 0 && byClientClock <= MAX_TRUSTED_CLIENT_LIFETIME_MS ? byClientClock : ASSUMED_LIFETIME_MS;
}

/** A quarter of the lifetime, at most 15 s: 15 s for a 2-minute policy, 1.25 s for a 5-second one. */
export function getSafetyMargin(lifetimeMs: number): number {
  return Math.max(0, Math.min(MAX_SAFETY_MARGIN_MS, lifetimeMs / 4));
}

/**
 * Client-clock time (ms) until which a new upload may start with this authorization.
 *
 * Measured from the arrival on the client's own clock (`receivedAt` + lifetime), so a client clock
 * that is consistently wrong by ±10 minutes cancels out. A fresh authorization with any positive
 * lifetime is usable at arrival (the margin is a fraction of the lifetime), so it can never cause a
 * refetch loop; one with no lifetime left is expired on arrival and reported, not refetched.
 */
export function getAuthorizationUsableUntil(auth: ExpiringGrant): number {
  const lifetime = getAuthorizationLifetime(auth);
  return auth.receivedAt + lifetime - getSafetyMargin(lifetime);
}

/** True while an upload may still start with this authorization at client time `now`. */
export function isAuthorizationUsable(auth: ExpiringGrant, now: number): boolean {
  return getAuthorizationLifetime(auth) > 0 && now < getAuthorizationUsableUntil(auth);
}

/** True when the authorization had no lifetime left on arrival (by server time): refetching at once would not help. */
export function isAuthorizationExpiredOnArrival(auth: ExpiringGrant): boolean {
  return getAuthorizationLifetime(auth) <= 0;
}
