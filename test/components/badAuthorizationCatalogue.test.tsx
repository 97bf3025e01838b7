/**
 * Every bad answer the authorization endpoint can give (issue "Reliability and security campaign",
 * item 2): each must end as a typed error with a readable sentence in both locales, a visible way to
 * retry, no crash, and no upload attempted with that authorization.
 */
import { screen, within } from '@testing-library/react';
import { HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { describeUploadError, uploaderMessages, type UploaderLocale, type UploadError, type UploadErrorCode } from '../../src';
import { buildAuthorizationEnvelope, encodeOssPolicy, makeFile } from '../../fixtures';
import { authorizationOk, OSS_HOST, useFakeBackend, type AuthorizationResponder } from '../support/ossHandlers';
import { expectRowStatus, fileInput, getRow, renderUploader } from '../support/uploaderHarness';

const envelope = () => buildAuthorizationEnvelope({ host: OSS_HOST });
type Data = Record<string, unknown>;
const withData =
  (change: (data: Data) => void): AuthorizationResponder =>
  () => {
    const body = envelope() as unknown as { data: Data };
    change(body.data);
    return HttpResponse.json(body, { headers: { Date: new Date().toUTCString() } });
  };
const text =
  (body: string, status = 200, type = 'text/html'): AuthorizationResponder =>
  () =>
    new HttpResponse(body, { status, headers: { 'Content-Type': type } });

interface BadAnswer {
  name: string;
  answer: AuthorizationResponder;
  code: UploadErrorCode;
  /** Something the server said that the user should see too. */
  shows?: string;
}

const CATALOGUE: BadAnswer[] = [
  {
    name: 'an HTML error page with status 200',
    answer: text('<html><body><h1>Gateway login</h1></body></html>'),
    code: 'authorization-malformed',
  },
  { name: 'a body that is not JSON', answer: text('ok', 200, 'text/plain'), code: 'authorization-malformed' },
  { name: 'an empty body', answer: text('', 200, 'application/json'), code: 'authorization-malformed' },
  { name: 'JSON that is not an object', answer: () => HttpResponse.json(['accessId']), code: 'authorization-malformed' },
  {
    name: 'success:false with a message',
    answer: () =>
      HttpResponse.json({ success: false, code: 'ILLEGAL_AUTH', message: 'Your session has expired, please sign in again.', data: null }),
    code: 'authorization-rejected',
    shows: 'Your session has expired, please sign in again.',
  },
  {
    name: 'code "500" in an envelope that claims success',
    answer: () => HttpResponse.json({ ...envelope(), code: '500' }),
    code: 'authorization-rejected',
  },
  {
    name: 'success:true without data',
    answer: () => HttpResponse.json({ success: true, code: '200', message: 'successful' }),
    code: 'authorization-missing-field',
  },
  { name: 'no policy', answer: withData((data) => delete data.policy), code: 'authorization-missing-field' },
  { name: 'no signature', answer: withData((data) => delete data.signature), code: 'authorization-missing-field' },
  { name: 'no host', answer: withData((data) => delete data.host), code: 'authorization-missing-field' },
  { name: 'no dir', answer: withData((data) => delete data.dir), code: 'authorization-missing-field' },
  { name: 'an empty accessId', answer: withData((data) => (data.accessId = '')), code: 'authorization-missing-field' },
  {
    name: 'expire in the past (by the server clock)',
    answer: withData((data) => {
      const past = Math.floor(Date.now() / 1000) - 60;
      data.expire = String(past);
      data.policy = encodeOssPolicy({
        expiration: new Date(past * 1000).toISOString(),
        conditions: [['starts-with', '$key', 'pop_temp26842/']],
      });
    }),
    code: 'authorization-expired',
  },
  { name: 'expire not numeric', answer: withData((data) => (data.expire = 'in two minutes')), code: 'authorization-invalid-expire' },
  {
    name: 'a javascript: host',
    answer: withData((data) => (data.host = 'javascript:alert(document.cookie)')),
    code: 'authorization-invalid-host',
  },
  { name: 'a relative host', answer: withData((data) => (data.host = '/upload/')), code: 'authorization-invalid-host' },
  { name: 'an ftp: host', answer: withData((data) => (data.host = 'ftp://bucket.example/')), code: 'authorization-invalid-host' },
  { name: 'a policy that is not base64', answer: withData((data) => (data.policy = 'not base64!')), code: 'authorization-invalid-policy' },
  {
    name: 'policy JSON without conditions',
    answer: withData(
      (data) => (data.policy = encodeOssPolicy({ expiration: new Date(Date.now() + 120_000).toISOString(), conditions: [] })),
    ),
    code: 'authorization-invalid-policy',
  },
  {
    name: 'a dir that does not match the policy prefix',
    answer: withData((data) => (data.dir = 'someone_else/')),
    code: 'authorization-dir-mismatch',
  },
  { name: 'HTTP 401', answer: text('<h1>401 Unauthorized</h1>', 401), code: 'authorization-request-failed' },
  { name: 'HTTP 500 (after its one automatic retry)', answer: text('<h1>500</h1>', 500), code: 'authorization-request-failed' },
  { name: 'a network error', answer: () => HttpResponse.error(), code: 'authorization-request-failed' },
  { name: 'a response that never arrives', answer: () => new Promise<Response>(() => undefined), code: 'authorization-timeout' },
];

describe('bad authorization catalogue', () => {
  it('has at least 15 distinct bad answers', () => {
    expect(new Set(CATALOGUE.map((entry) => entry.name)).size).toBeGreaterThanOrEqual(15);
  });

  describe.each<UploaderLocale>(['en', 'zh-CN'])('in %s', (locale) => {
    const messages = uploaderMessages[locale];

    it.each(CATALOGUE)('$name → $code, readable, retryable, nothing uploaded', async ({ answer, code, shows }) => {
      const backend = useFakeBackend();
      backend.authorization.always(answer);
      const onUploadFailed = vi.fn<(file: File, error: UploadError) => void>();
      const { user } = renderUploader({ locale, onUploadFailed, authorizationTimeoutMs: 300 });

      await user.upload(fileInput(messages.inputLabel), makeFile('report.pdf', 2_000));
      const row = await expectRowStatus('report.pdf', messages.status.failed, { listName: messages.listLabel, timeout: 4_000 });

      expect(onUploadFailed).toHaveBeenCalledTimes(1);
      const error = onUploadFailed.mock.calls[0]?.[1] as UploadError;
      expect(error.code).toBe(code);
      // The localised sentence for that code, once, in the alert (never raw JSON or HTML); the row only
      // says it has no upload permission.
      const alert = screen.getByRole('alert');
      expect(alert).toHaveTextContent(messages.authorizationFailed);
      expect(alert).toHaveTextContent(describeUploadError(error, messages));
      expect(within(row).getByText(messages.authorizationMissing)).toBeInTheDocument();
      expect(row).not.toHaveTextContent(describeUploadError(error, messages));
      expect(alert.textContent).not.toMatch(/<h1>|\{"/);
      if (shows) expect(alert).toHaveTextContent(shows);
      expect(backend.uploads).toHaveLength(0);

      // The way back: the backend recovers, "Try again" refetches and the file uploads.
      backend.authorization.always(authorizationOk());
      await user.click(within(alert).getByRole('button', { name: messages.retryAuthorization }));
      await expectRowStatus('report.pdf', messages.status.done, { listName: messages.listLabel, timeout: 4_000 });
      expect(backend.uploads).toHaveLength(1);
      expect(getRow('report.pdf', messages.listLabel)).toBeInTheDocument();
      expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    });
  });
});
