import { describe, expect, it, vi } from 'vitest';
import { readAttachmentUploadUrl, requestUploadUrlFromQueryClient, type FetchUploadUrl } from '../../src/react/uploadUrlMutation';
import { UploadError } from '../../src/core/UploadError';
import { buildPresignedPutUrl, makeFile } from '../../fixtures';
import { createTestQueryClient } from '../support/renderWithClient';

const KEY = 'attachments/2025/1/report.pdf';
const answer = () => ({ ObjectKey: KEY, PutSignedUrl: buildPresignedPutUrl({ key: KEY, expires: Math.floor(Date.now() / 1000) + 900 }) });

async function rejection(promise: Promise<unknown>): Promise<UploadError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UploadError);
  return error as UploadError;
}

describe('readAttachmentUploadUrl: a Response', () => {
  it('reads the JSON and corrects the clock with its Date header', async () => {
    const serverNow = Date.now() + 600_000;
    const response = Response.json(answer(), { headers: { Date: new Date(serverNow).toUTCString() } });
    const url = await readAttachmentUploadUrl(response);
    expect(url.objectKey).toBe(KEY);
    expect(url.serverClockOffset).toBeGreaterThan(590_000);
  });

  it.each([
    [
      'a 403 explaining itself keeps the message',
      Response.json({ Success: false, Message: 'Not your ticket.' }, { status: 403 }),
      'upload-url-rejected',
      'Not your ticket.',
    ],
    [
      'a 502 HTML page',
      new Response('<html><h1>502 Bad Gateway</h1></html>', { status: 502 }),
      'upload-url-request-failed',
      'The request failed with HTTP 502.',
    ],
    [
      'a 200 that is not JSON',
      new Response('<html>Sign in</html>', { status: 200 }),
      'upload-url-malformed',
      'The answer is not JSON: "Sign in".',
    ],
  ])('%s', async (_label, response, code, message) => {
    const error = await rejection(readAttachmentUploadUrl(response));
    expect([error.code, error.message]).toEqual([code, message]);
  });
});

describe('requestUploadUrlFromQueryClient: one mutation per file', () => {
  const file = makeFile('report.pdf');

  it('passes the file and an abortable signal, and leaves nothing in the mutation cache once settled', async () => {
    const queryClient = createTestQueryClient();
    const fetchUploadUrl = vi.fn<FetchUploadUrl>(async () => answer());
    const url = await requestUploadUrlFromQueryClient(queryClient, { fetchUploadUrl }, { file, signal: new AbortController().signal });
    expect(url.objectKey).toBe(KEY);
    expect(fetchUploadUrl).toHaveBeenCalledWith({ file, signal: expect.any(AbortSignal) });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(queryClient.getMutationCache().getAll()).toEqual([]);
  });

  it('tries once more after a 5xx, not after a refusal', async () => {
    const queryClient = createTestQueryClient();
    queryClient.setDefaultOptions({ mutations: { retryDelay: 1 } });
    const flaky = vi
      .fn<FetchUploadUrl>()
      .mockResolvedValueOnce(new Response('down', { status: 503 }))
      .mockResolvedValue(Response.json(answer()));
    await requestUploadUrlFromQueryClient(queryClient, { fetchUploadUrl: flaky }, { file, signal: new AbortController().signal });
    expect(flaky).toHaveBeenCalledTimes(2);

    const refusing = vi.fn<FetchUploadUrl>(async () => ({ Success: false, Code: 'Forbidden', Message: 'No.' }));
    const error = await rejection(
      requestUploadUrlFromQueryClient(queryClient, { fetchUploadUrl: refusing }, { file, signal: new AbortController().signal }),
    );
    expect([error.code, refusing.mock.calls.length]).toEqual(['upload-url-rejected', 1]);
  });

  it('fails with upload-url-timeout when nothing answers in time, and aborts the request', async () => {
    const queryClient = createTestQueryClient();
    queryClient.setDefaultOptions({ mutations: { retryDelay: 1 } });
    const signals: AbortSignal[] = [];
    const hanging: FetchUploadUrl = ({ signal }) => {
      signals.push(signal);
      return new Promise(() => {});
    };
    const error = await rejection(
      requestUploadUrlFromQueryClient(
        queryClient,
        { fetchUploadUrl: hanging, timeoutMs: 20 },
        { file, signal: new AbortController().signal },
      ),
    );
    expect(error.code).toBe('upload-url-timeout');
    expect(signals.length).toBe(2); // one more try after a timeout
    expect(signals.every((signal) => signal.aborted)).toBe(true);
  });

  it('rejects with canceled when the file is canceled', async () => {
    const queryClient = createTestQueryClient();
    const controller = new AbortController();
    const pending = requestUploadUrlFromQueryClient(
      queryClient,
      { fetchUploadUrl: ({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))) },
      { file, signal: controller.signal },
    );
    controller.abort();
    expect((await rejection(pending)).code).toBe('canceled');
  });
});
