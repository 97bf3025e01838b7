/**
 * README "The backend's part", recipe (c), kept runnable: another service answers a POST policy under
 * its own field names, and `fetchAuthorization` maps it. The component checks what the mapping returns
 * with `parseOssAuthorization`, as here.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseOssAuthorization } from '../../src/core/parseOssAuthorization';
import { UploadError } from '../../src/core/UploadError';
import type { FetchAuthorization } from '../../src/react/ossAuthorizationQuery';
import { FIXTURE_DIR, FIXTURE_HOST, makePolicy, T0 } from '../../fixtures';

// --- Recipe (c) -----------------------------------------------------------------------------------
interface UploadGrant {
  credentials: { keyId: string; policyBase64: string; signatureV1: string; prefix: string; bucketUrl: string; expiresAt: string };
}

const fetchAuthorization: FetchAuthorization = async ({ signal }) => {
  const response = await fetch('/api/upload-grant', { signal });
  if (!response.ok) throw new Error(`upload-grant answered ${response.status}`);
  const { credentials } = (await response.json()) as UploadGrant;
  return {
    accessId: credentials.keyId,
    policy: credentials.policyBase64,
    signature: credentials.signatureV1,
    dir: credentials.prefix,
    host: credentials.bucketUrl,
    expire: Math.floor(Date.parse(credentials.expiresAt) / 1000),
  };
};
// ---------------------------------------------------------------------------------------------------

afterEach(() => {
  vi.unstubAllGlobals();
});

function serveGrant(credentials: Partial<UploadGrant['credentials']>, status = 200): void {
  const grant: UploadGrant = {
    credentials: {
      keyId: 'LTAI5tOtherService',
      policyBase64: makePolicy({ prefix: FIXTURE_DIR }),
      signatureV1: 'c2lnbmF0dXJl',
      prefix: FIXTURE_DIR,
      bucketUrl: FIXTURE_HOST,
      expiresAt: new Date(T0 + 120_000).toISOString(),
      ...credentials,
    },
  };
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify(grant), { status })),
  );
}

describe('README recipe (c): a POST policy under other field names, mapped in fetchAuthorization', () => {
  it("maps the other service's names onto what the uploader checks and uses", async () => {
    serveGrant({});
    const authorization = parseOssAuthorization(await fetchAuthorization({ signal: new AbortController().signal }), { receivedAt: T0 });
    expect(authorization).toMatchObject({
      accessId: 'LTAI5tOtherService',
      dir: FIXTURE_DIR,
      host: FIXTURE_HOST,
      signature: 'c2lnbmF0dXJl',
    });
    expect(authorization.expiresAt).toBe(T0 + 120_000);
  });

  it("still fails with the uploader's own error when the mapped answer is wrong (a prefix the policy does not allow)", async () => {
    serveGrant({ prefix: 'somewhere_else/' });
    const mapped = await fetchAuthorization({ signal: new AbortController().signal });
    let thrown: unknown;
    try {
      parseOssAuthorization(mapped, { receivedAt: T0 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UploadError);
    expect((thrown as UploadError).code).toBe('authorization-dir-mismatch');
  });
});
