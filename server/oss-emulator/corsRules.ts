import type { IncomingMessage, ServerResponse } from 'node:http';
import { err, ok, type Result } from '../result.js';
import { ossErrors, type OssError } from './ossErrors.js';

// docs/oss-protocol.md §5: the server-sign guide allows POST/PUT/GET; the Browser.js guide exposes these headers.
const ALLOWED_METHODS = ['GET', 'POST', 'PUT'];
const EXPOSED_HEADERS = 'ETag, x-oss-request-id';

/** Default rule origins: any port on the loopback names the demo and tests use. */
export const DEFAULT_CORS_ORIGINS: readonly string[] = ['http://127.0.0.1:*', 'http://localhost:*'];

/** docs/oss-protocol.md §5: an origin rule has at most one `*`, matching any run of characters. */
export function createOriginMatcher(patterns: readonly string[]): (origin: string) => boolean {
  const matchers = patterns.map((pattern) => {
    const parts = pattern.split('*');
    if (parts.length > 2) throw new TypeError(`CORS origin "${pattern}" has more than one "*" (docs/oss-protocol.md §5)`);
    const escaped = parts.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    return new RegExp(`^${escaped.join('.*')}$`);
  });
  return (origin) => matchers.some((matcher) => matcher.test(origin));
}

function originOf(req: IncomingMessage): string | undefined {
  const origin = req.headers.origin;
  return typeof origin === 'string' && origin !== '' ? origin : undefined;
}

/** Adds CORS headers to a normal (non-preflight) answer when the Origin matches a rule (docs/oss-protocol.md §5). */
export function applyCorsHeaders(req: IncomingMessage, res: ServerResponse, isAllowedOrigin: (origin: string) => boolean): void {
  res.setHeader('Vary', 'Origin');
  const origin = originOf(req);
  // docs/oss-protocol.md §5: without a matching rule OSS still answers, only without CORS headers; the browser blocks it.
  if (origin === undefined || !isAllowedOrigin(origin)) return;
  // docs/oss-protocol.md §5 [U]: real OSS echoes the Origin (a 2017 capture shows `*`); echoing is what browsers need.
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS.join(', '));
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
}

/** Headers of a successful preflight, or the OSS error for a refused one (docs/oss-protocol.md §5). */
export function evaluatePreflight(
  req: IncomingMessage,
  isAllowedOrigin: (origin: string) => boolean,
): Result<Record<string, string>, OssError> {
  const origin = originOf(req);
  if (origin === undefined) return err(ossErrors.corsMissingOrigin());
  const method = req.headers['access-control-request-method'];
  if (!isAllowedOrigin(origin) || typeof method !== 'string' || !ALLOWED_METHODS.includes(method.toUpperCase())) {
    return err(ossErrors.corsForbidden());
  }
  const headers: Record<string, string> = {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': ALLOWED_METHODS.join(', '),
    'Access-Control-Expose-Headers': EXPOSED_HEADERS,
    Vary: 'Origin',
  };
  // docs/oss-protocol.md §5: the guide allows headers `*`; echoing the requested list works with every browser.
  const requested = req.headers['access-control-request-headers'];
  if (typeof requested === 'string' && requested !== '') headers['Access-Control-Allow-Headers'] = requested;
  return ok(headers);
}
