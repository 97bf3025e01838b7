import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ASSUMED_LIFETIME_MS,
  getAuthorizationLifetime,
  getAuthorizationUsableUntil,
  getSafetyMargin,
  isAuthorizationExpiredOnArrival,
  isAuthorizationUsable,
  MAX_SAFETY_MARGIN_MS,
} from '../../src/core/authorizationExpiry';
import { parseOssAuthorization, type OssAuthorization } from '../../src/core/parseOssAuthorization';
import { makePolicy, makeRawAuthorization, T0 } from '../../fixtures';

const MINUTE = 60_000;

interface Arrival {
  /** Lifetime on the server's clock: `expire` − server time at arrival. */
  lifetimeMs: number;
  /** Client clock minus server clock. */
  clockSkewMs?: number;
  /** Whether the caller passes the answer's `Date` header. */
  withServerDate?: boolean;
}

/** An authorization that arrives when the server's clock reads T0 (docs/oss-protocol.md §8 "Expiry and clocks": `expire` is server time). */
function arrive({ lifetimeMs, clockSkewMs = 0, withServerDate = true }: Arrival): OssAuthorization {
  const expiresAt = T0 + lifetimeMs;
  const raw = makeRawAuthorization({
    expire: String(expiresAt / 1000),
    policy: makePolicy({ expiration: new Date(expiresAt).toISOString() }),
  });
  return parseOssAuthorization(raw, { receivedAt: T0 + clockSkewMs, serverDate: withServerDate ? new Date(T0).toUTCString() : null });
}

/** The decisions for a policy of `lifetimeMs` on a correct clock: usable strictly before lifetime − margin. */
const decisions = (lifetimeMs: number) => {
  const usableFor = lifetimeMs - Math.min(MAX_SAFETY_MARGIN_MS, lifetimeMs / 4);
  return [
    [0, true],
    [usableFor - 1, true],
    [usableFor, false],
    [lifetimeMs - 1, false],
    [lifetimeMs, false],
    [lifetimeMs + 10 * MINUTE, false],
  ] as const;
};

const clocks: Array<[string, Omit<Arrival, 'lifetimeMs'>]> = [
  ['a correct clock with the server Date', { clockSkewMs: 0, withServerDate: true }],
  ['a correct clock without a server Date', { clockSkewMs: 0, withServerDate: false }],
  ['a client clock 10 min fast with the server Date', { clockSkewMs: 10 * MINUTE, withServerDate: true }],
  ['a client clock 10 min slow with the server Date', { clockSkewMs: -10 * MINUTE, withServerDate: true }],
  [
    'a client clock 10 min fast without a server Date (falls back to the assumed 120 s)',
    { clockSkewMs: 10 * MINUTE, withServerDate: false },
  ],
];

describe('isAuthorizationUsable', () => {
  const rows = clocks.flatMap(([clock, arrival]) =>
    decisions(2 * MINUTE).map(([elapsedMs, usable]) => ({ clock, arrival, elapsedMs, usable })),
  );

  it.each(rows)('2-minute policy, $clock: $elapsedMs ms after arrival → usable $usable', ({ arrival, elapsedMs, usable }) => {
    const auth = arrive({ lifetimeMs: 2 * MINUTE, ...arrival });
    expect(isAuthorizationUsable(auth, auth.receivedAt + elapsedMs)).toBe(usable);
  });

  it.each([
    ['well before expiry', 2 * MINUTE, 30_000, true],
    ['just outside the 15 s margin of a 2-minute policy', 2 * MINUTE, 104_999, true],
    ['inside the 15 s margin of a 2-minute policy', 2 * MINUTE, 105_000, false],
    ['just outside the 1.25 s margin of a 5 s policy', 5_000, 3_749, true],
    ['inside the 1.25 s margin of a 5 s policy', 5_000, 3_750, false],
    ['after expiry of a 5 s policy', 5_000, 5_001, false],
    ['an hour-long policy 44 min in (margin stays 15 s)', 60 * MINUTE, 44 * MINUTE, true],
    ['an hour-long policy 15 s before expiry', 60 * MINUTE, 60 * MINUTE - 15_000, false],
  ])('is usable %s (lifetime %i ms, %i ms after arrival): %s', (_label, lifetimeMs, elapsedMs, usable) => {
    const auth = arrive({ lifetimeMs });
    expect(isAuthorizationUsable(auth, T0 + elapsedMs)).toBe(usable);
  });

  it.each([
    ['a correct clock', 0],
    ['a client clock 10 min fast', 10 * MINUTE],
    ['a client clock 10 min slow', -10 * MINUTE],
  ])('makes the same decisions as a correct clock for %s when the server Date is known', (_label, clockSkewMs) => {
    const skewed = arrive({ lifetimeMs: 2 * MINUTE, clockSkewMs });
    const correct = arrive({ lifetimeMs: 2 * MINUTE });
    for (let elapsed = 0; elapsed <= 3 * MINUTE; elapsed += 1_000) {
      expect(isAuthorizationUsable(skewed, skewed.receivedAt + elapsed)).toBe(isAuthorizationUsable(correct, correct.receivedAt + elapsed));
    }
  });

  it('is usable at arrival for a fresh 1 s authorization, so a refetch cannot loop', () => {
    const auth = arrive({ lifetimeMs: 1_000 });
    expect(isAuthorizationExpiredOnArrival(auth)).toBe(false);
    expect(isAuthorizationUsable(auth, auth.receivedAt)).toBe(true);
    expect(isAuthorizationUsable(auth, auth.receivedAt + 749)).toBe(true);
    expect(isAuthorizationUsable(auth, auth.receivedAt + 750)).toBe(false);
  });

  it('is never usable for an authorization that expired before it arrived', () => {
    const auth = arrive({ lifetimeMs: -5_000 });
    expect(isAuthorizationUsable(auth, auth.receivedAt)).toBe(false);
    expect(isAuthorizationUsable(auth, auth.receivedAt - 60 * MINUTE)).toBe(false);
  });

  describe('with the system clock (fake timers)', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('judges an authorization parsed without a context against Date.now()', () => {
      vi.useFakeTimers();
      vi.setSystemTime(T0);
      const auth = parseOssAuthorization(makeRawAuthorization({ expire: String((T0 + 2 * MINUTE) / 1000) }));
      expect(isAuthorizationUsable(auth, Date.now())).toBe(true);
      vi.advanceTimersByTime(104_999);
      expect(isAuthorizationUsable(auth, Date.now())).toBe(true);
      vi.advanceTimersByTime(1);
      expect(isAuthorizationUsable(auth, Date.now())).toBe(false);
    });
  });
});

describe('isAuthorizationExpiredOnArrival', () => {
  it.each([
    ['server date after expire', { lifetimeMs: -1_000 }, true],
    ['server date equal to expire', { lifetimeMs: 0 }, true],
    ['server date after expire, client clock 10 min slow', { lifetimeMs: -1_000, clockSkewMs: -10 * MINUTE }, true],
    ['a fresh 2-minute authorization', { lifetimeMs: 2 * MINUTE }, false],
    ['a fresh 1 s authorization', { lifetimeMs: 1_000 }, false],
    [
      'a fresh authorization seen by a client clock 10 min fast, no server date',
      { lifetimeMs: 2 * MINUTE, clockSkewMs: 10 * MINUTE, withServerDate: false },
      false,
    ],
  ])('detects %s: %s', (_label, arrival, expected) => {
    expect(isAuthorizationExpiredOnArrival(arrive(arrival))).toBe(expected);
  });
});

describe('getAuthorizationLifetime', () => {
  it.each([
    ['the server-time lifetime with a correct clock', { lifetimeMs: 2 * MINUTE }, 2 * MINUTE],
    ['the server-time lifetime when the client clock is 10 min fast', { lifetimeMs: 2 * MINUTE, clockSkewMs: 10 * MINUTE }, 2 * MINUTE],
    ['the server-time lifetime when the client clock is 10 min slow', { lifetimeMs: 2 * MINUTE, clockSkewMs: -10 * MINUTE }, 2 * MINUTE],
    ['a negative lifetime when it expired before arrival', { lifetimeMs: -3_000 }, -3_000],
    ['the client-clock lifetime without a server date, when plausible', { lifetimeMs: 5 * MINUTE, withServerDate: false }, 5 * MINUTE],
    ['the client-clock lifetime at the 60 min plausibility bound', { lifetimeMs: 60 * MINUTE, withServerDate: false }, 60 * MINUTE],
    ['the assumed 120 s past the plausibility bound', { lifetimeMs: 60 * MINUTE + 1_000, withServerDate: false }, ASSUMED_LIFETIME_MS],
    [
      'the assumed 120 s when a fast client clock says it already expired',
      { lifetimeMs: 2 * MINUTE, clockSkewMs: 10 * MINUTE, withServerDate: false },
      ASSUMED_LIFETIME_MS,
    ],
  ])('is %s', (_label, arrival, expected) => {
    expect(getAuthorizationLifetime(arrive(arrival))).toBe(expected);
  });
});

describe('getSafetyMargin', () => {
  it.each([
    [2 * MINUTE, 15_000],
    [5_000, 1_250],
    [1_000, 250],
    [60_000, 15_000],
    [60 * MINUTE, 15_000],
    [0, 0],
    [-5_000, 0],
  ])('is %i ms → %i ms (a quarter, at most 15 s)', (lifetimeMs, margin) => {
    expect(getSafetyMargin(lifetimeMs)).toBe(margin);
  });
});

describe('getAuthorizationUsableUntil', () => {
  it.each([
    ['a correct clock', 0],
    ['a client clock 10 min fast', 10 * MINUTE],
    ['a client clock 10 min slow', -10 * MINUTE],
  ])('is arrival + 105 s on the client clock for a 2-minute policy with %s', (_label, clockSkewMs) => {
    expect(getAuthorizationUsableUntil(arrive({ lifetimeMs: 2 * MINUTE, clockSkewMs }))).toBe(T0 + clockSkewMs + 105_000);
  });
});
