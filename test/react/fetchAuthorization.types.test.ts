import { describe, expectTypeOf, it } from 'vitest';
import type { GetOssTempAuthorEnvelope, OssTempAuthorization } from '../../server/index';
import type { FetchAuthorization, FetchAuthorizationResult, TicketAttachmentUploaderProps } from '../../src/index';

// Compile-time checks: `npm test` runs `tsc -p tsconfig.json` over test/, so an `@ts-expect-error`
// that no longer finds an error (a wrong shape that compiles again) fails the typecheck.
// The runtime parse stays tolerant (test/core/parseOssAuthorization.test.ts); this is what the editor says.
const signal = new AbortController().signal;
const data = { accessId: 'LTAI', policy: 'e30=', signature: 'sig=', dir: 'pop_temp1/', host: 'https://b.example/', expire: '1573129988' };

describe('fetchAuthorization types', () => {
  it('accepts a fetch Response, the documented envelope, bare data and the server signer output', () => {
    expectTypeOf<
      Extract<TicketAttachmentUploaderProps, { fetchAuthorization: unknown }>['fetchAuthorization']
    >().toEqualTypeOf<FetchAuthorization>();
    expectTypeOf<FetchAuthorization>().returns.resolves.toEqualTypeOf<FetchAuthorizationResult>();
    const fromFetch: FetchAuthorization = ({ signal: aborted }) => fetch('/api/getOSSTempAuthor', { signal: aborted });
    const envelope: FetchAuthorization = async () => ({ success: true, code: '200', message: 'successful', data });
    const stringlySuccess: FetchAuthorization = async () => ({ success: 'true', code: 200, data: { ...data, expire: 1573129988 } });
    const refusal: FetchAuthorization = async () => ({ success: false, code: '-121', message: 'No permission', data: null });
    const bare: FetchAuthorization = async () => data;
    const fromJson: FetchAuthorization = async () => (await fetch('/api/getOSSTempAuthor', { signal })).json();
    const signed = {} as GetOssTempAuthorEnvelope<OssTempAuthorization>;
    const fromSigner: FetchAuthorization = async () => signed;
    expectTypeOf([fromFetch, envelope, stringlySuccess, refusal, bare, fromJson, fromSigner]).items.toEqualTypeOf<FetchAuthorization>();
  });

  it('rejects shapes that cannot be an authorization', () => {
    // @ts-expect-error -- nothing returned (a forgotten `return`)
    const forgotten: FetchAuthorization = async () => {
      await fetch('/api/getOSSTempAuthor', { signal });
    };
    // @ts-expect-error -- a typo in a data field name (`accessID`)
    const typo: FetchAuthorization = async () => ({
      accessID: 'LTAI',
      policy: 'e30=',
      signature: 's',
      dir: 'd/',
      host: 'https://b.example/',
      expire: '1',
    });
    // @ts-expect-error -- `data` is not the documented object
    const wrongData: FetchAuthorization = async () => ({ success: true, code: '200', data: 'LTAI,e30=,sig' });
    // @ts-expect-error -- the text of the body, not the body
    const text: FetchAuthorization = async () => (await fetch('/api/getOSSTempAuthor', { signal })).text();
    // @ts-expect-error -- not a promise
    const synchronous: FetchAuthorization = () => data;
    expectTypeOf([forgotten, typo, wrongData, text, synchronous]).items.toEqualTypeOf<FetchAuthorization>();
  });
});
