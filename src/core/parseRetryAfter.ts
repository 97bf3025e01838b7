/** The longest wait a `Retry-After` can impose: a server asking for more is still retried after this. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * RFC 9110 §10.2.3 `Retry-After`: delay-seconds (a non-negative integer) or an HTTP-date. A date is
 * measured against `serverNow` (the answer's own `Date`, when readable) so a wrong client clock does
 * not stretch or skip the wait. Returns ms, capped at `MAX_RETRY_AFTER_MS`; undefined when absent or
 * unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, serverNow: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  // An HTTP-date always names its day and month; anything else that is not digits is unreadable.
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : /[a-z]/i.test(text) ? Date.parse(text) - serverNow : Number.NaN;
  return Number.isNaN(ms) ? undefined : Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

/** `Retry-After` of a storage answer's readable headers (lower-case names), against its `Date` when exposed. */
export function readRetryAfter(headers: ReadonlyMap<string, string>): number | undefined {
  const serverNow = Date.parse(headers.get('date') ?? '');
  return parseRetryAfter(headers.get('retry-after'), Number.isNaN(serverNow) ? Date.now() : serverNow);
}
