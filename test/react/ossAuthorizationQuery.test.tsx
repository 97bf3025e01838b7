import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { delay, http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { attachmentQueryKeys, ossAuthorizationQueryOptions, TicketAttachmentUploader, type FetchAuthorization } from '../../src';
import { makeFile } from '../../fixtures';
import { server } from '../support/mswServer';
import {
  AUTH_PATH,
  DEFAULT_DIR,
  fetchAuthorization,
  OSS_HOST,
  ossOk,
  ossPolicyExpired,
  PAGE_ORIGIN,
  useFakeBackend,
} from '../support/ossHandlers';
import { createTestQueryClient, renderWithClient } from '../support/renderWithClient';
import { expectRowStatus, fileInput, renderUploader } from '../support/uploaderHarness';

const TEN_MINUTES = 10 * 60_000;

afterEach(() => {
  vi.useRealTimers();
});

describe('ossAuthorizationQueryOptions', () => {
  it('fetches, checks and caches the authorization under attachmentQueryKeys.authorization()', async () => {
    const backend = useFakeBackend();
    const queryClient = createTestQueryClient();
    const options = ossAuthorizationQueryOptions({ fetchAuthorization });

    const auth = await queryClient.fetchQuery(options);

    expect(options.queryKey).toEqual(attachmentQueryKeys.authorization());
    expect(auth).toMatchObject({ host: OSS_HOST, dir: DEFAULT_DIR, keyPrefix: DEFAULT_DIR, accessId: 'LTAI5tTestAccessId1' });
    expect(auth.decodedPolicy.contentLengthRange).toEqual({ min: 0, max: 2_097_152 });
    expect(Math.abs(auth.serverClockOffset ?? Number.NaN)).toBeLessThan(1000);
    expect(await queryClient.fetchQuery(options)).toBe(auth);
    expect(backend.authorizationRequests).toBe(1);
  });

  it('prefetches the authorization when the uploader mounts, before any file is added', async () => {
    const backend = useFakeBackend();
    const { queryClient } = renderUploader();

    await waitFor(() => expect(backend.authorizationRequests).toBe(1));
    await waitFor(() => expect(queryClient.getQueryData(attachmentQueryKeys.authorization())).toMatchObject({ dir: DEFAULT_DIR }));
  });

  it('shares one authorization request between two uploaders on one page', async () => {
    const backend = useFakeBackend();
    const user = userEvent.setup();
    renderWithClient(
      <>
        <TicketAttachmentUploader
          fetchAuthorization={fetchAuthorization}
          messages={{ inputLabel: 'Ticket files', listLabel: 'Ticket attachments' }}
        />
        <TicketAttachmentUploader
          fetchAuthorization={fetchAuthorization}
          messages={{ inputLabel: 'Reply files', listLabel: 'Reply attachments' }}
        />
      </>,
    );

    await user.upload(screen.getByLabelText('Ticket files'), makeFile('a.pdf'));
    await user.upload(screen.getByLabelText('Reply files'), makeFile('b.pdf'));

    await expectRowStatus('a.pdf', 'Uploaded', { listName: 'Ticket attachments' });
    await expectRowStatus('b.pdf', 'Uploaded', { listName: 'Reply attachments' });
    expect(backend.authorizationRequests).toBe(1);
    expect(backend.uploads.map((upload) => upload.signature)).toEqual(['test-signature-1=', 'test-signature-1=']);
  });

  it('keeps separate caches for different authorizationKey values', async () => {
    const backend = useFakeBackend();
    renderWithClient(
      <>
        <TicketAttachmentUploader fetchAuthorization={fetchAuthorization} authorizationKey="ticket" />
        <TicketAttachmentUploader fetchAuthorization={fetchAuthorization} authorizationKey="reply" />
      </>,
    );

    await waitFor(() => expect(backend.authorizationRequests).toBe(2));
  });

  it('lets an uploader use an authorization prefetched with the same options (e.g. in a route loader)', async () => {
    const backend = useFakeBackend();
    const queryClient = createTestQueryClient();
    await queryClient.prefetchQuery(ossAuthorizationQueryOptions({ fetchAuthorization }));
    const { user } = renderUploader({}, { queryClient });

    await user.upload(fileInput(), [makeFile('a.pdf'), makeFile('b.pdf')]);

    await expectRowStatus('a.pdf', 'Uploaded');
    await expectRowStatus('b.pdf', 'Uploaded');
    expect(backend.authorizationRequests).toBe(1);
  });

  it.each([
    ['the parsed envelope', (async ({ signal }) => (await fetch(AUTH_PATH, { signal })).json()) as FetchAuthorization],
    [
      'bare data',
      (async ({ signal }) => ((await (await fetch(AUTH_PATH, { signal })).json()) as { data: unknown }).data) as FetchAuthorization,
    ],
  ])('accepts fetchAuthorization resolving to %s', async (_label, fetchParsed) => {
    const backend = useFakeBackend();
    const { user } = renderUploader({ fetchAuthorization: fetchParsed });

    await user.upload(fileInput(), makeFile('a.pdf'));

    await expectRowStatus('a.pdf', 'Uploaded');
    expect(backend.uploads[0]?.key.startsWith(DEFAULT_DIR)).toBe(true);
  });
});

describe('clock skew', () => {
  it.each([
    ['10 minutes ahead of', TEN_MINUTES],
    ['10 minutes behind', -TEN_MINUTES],
  ])('uses an authorization whose Date header is %s the client clock, without refetching, over several files', async (_label, offset) => {
    const backend = useFakeBackend({ serverClockOffsetMs: offset });
    const { user } = renderUploader();

    for (const name of ['a.pdf', 'b.pdf', 'c.pdf']) {
      await user.upload(fileInput(), makeFile(name));
      await expectRowStatus(name, 'Uploaded');
    }
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(backend.uploads).toHaveLength(3);
    expect(backend.authorizationRequests).toBe(1);
  });

  it("judges expiry on the server's clock: with a Date header 10 minutes ahead, a 2-minute authorization is replaced after 106 s", async () => {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    const backend = useFakeBackend({ serverClockOffsetMs: TEN_MINUTES });
    const { user } = renderUploader();
    await user.upload(fileInput(), makeFile('a.pdf'));
    await expectRowStatus('a.pdf', 'Uploaded');

    vi.setSystemTime(Date.now() + 106_000);
    await user.upload(fileInput(), makeFile('b.pdf'));
    await expectRowStatus('b.pdf', 'Uploaded');

    expect(backend.authorizationRequests).toBe(2);
    expect(backend.uploads[1]?.signature).toBe('test-signature-2=');
  });

  it('reports an authorization that arrives already expired instead of refetching in a loop', async () => {
    const backend = useFakeBackend({ lifetimeSeconds: -30 });
    const { user } = renderUploader();

    await user.upload(fileInput(), makeFile('a.pdf'));

    await expectRowStatus('a.pdf', 'Failed');
    expect(screen.getByRole('alert')).toHaveTextContent('The upload permission had already expired.');
    expect(within(screen.getByRole('alert')).getByRole('button', { name: 'Try again' })).toBeInTheDocument();
    const requests = backend.authorizationRequests;
    expect(requests).toBeLessThanOrEqual(3);
    // While busy the query refetches at most once a second: a loop would show within 1.1 s.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(backend.authorizationRequests).toBe(requests);
    expect(backend.uploads).toHaveLength(0);
  });
});

describe('invalidation and failures', () => {
  it('replaces the cached authorization after a "Policy expired" answer, so later files use the new one', async () => {
    const backend = useFakeBackend();
    backend.oss.once(ossPolicyExpired());
    const { user } = renderUploader();
    await user.upload(fileInput(), makeFile('a.pdf'));
    await expectRowStatus('a.pdf', 'Uploaded');

    await user.upload(fileInput(), makeFile('b.pdf'));
    await expectRowStatus('b.pdf', 'Uploaded');

    expect(backend.authorizationRequests).toBe(2);
    expect(backend.uploads.map((upload) => upload.signature)).toEqual(['test-signature-1=', 'test-signature-2=', 'test-signature-2=']);
  });

  it('shares one re-authorization between files that OSS refused with "Policy expired" at the same time', async () => {
    const backend = useFakeBackend();
    backend.oss.always((upload, request) => (upload.signature === 'test-signature-1=' ? ossPolicyExpired() : ossOk())(upload, request));
    const { user } = renderUploader();

    await user.upload(fileInput(), [makeFile('a.pdf'), makeFile('b.pdf'), makeFile('c.pdf')]);

    for (const name of ['a.pdf', 'b.pdf', 'c.pdf']) await expectRowStatus(name, 'Uploaded');
    expect(backend.authorizationRequests).toBe(2);
    expect(backend.uploads.filter((upload) => upload.signature === 'test-signature-2=')).toHaveLength(3);
  });

  it('gives up on an authorization request that does not answer within authorizationTimeoutMs, with a readable alert', async () => {
    useFakeBackend();
    server.use(
      http.get(`${PAGE_ORIGIN}${AUTH_PATH}`, async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    renderUploader({ authorizationTimeoutMs: 100 });

    const alert = await screen.findByRole('alert', {}, { timeout: 4000 });
    expect(alert).toHaveTextContent('The server took too long to grant upload permission.');
  });

  it('retries a 5xx authorization answer once by itself', async () => {
    const backend = useFakeBackend();
    backend.authorization.once(() => new HttpResponse('busy', { status: 503 }));
    const { user } = renderUploader();

    await user.upload(fileInput(), makeFile('a.pdf'));

    await expectRowStatus('a.pdf', 'Uploaded');
    expect(backend.authorizationRequests).toBe(2);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
