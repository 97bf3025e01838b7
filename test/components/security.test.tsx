/**
 * Hostile input rendered by the component: file names and server messages carrying markup must show
 * as text, and the authorization (policy, signature) must never reach the console.
 */
import { screen, within } from '@testing-library/react';
import { HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeFile } from '../../fixtures';
import { ossErrorResponse, ossPolicyExpired, useFakeBackend } from '../support/ossHandlers';
import { expectRowStatus, fileInput, renderUploader } from '../support/uploaderHarness';

const HOSTILE_NAME = '<img src=x onerror="window.pwned=1">.png';

afterEach(() => {
  delete (window as unknown as { pwned?: number }).pwned;
});

describe('hostile names and messages', () => {
  it('renders a file name with markup as text, in the row, the live region and its accessible names', async () => {
    useFakeBackend();
    const { user, container } = renderUploader();
    await user.upload(fileInput(), makeFile(HOSTILE_NAME, 100, 'image/png'));
    const row = await expectRowStatus(HOSTILE_NAME, 'Uploaded');
    expect(within(row).getByText(HOSTILE_NAME)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: `Remove ${HOSTILE_NAME}` })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent(`${HOSTILE_NAME} uploaded.`);
    expect(container.querySelector('[onerror]')).toBeNull();
    expect(container.querySelector('img[src="x"]')).toBeNull();
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  });

  it('renders a backend refusal message with markup as text', async () => {
    const backend = useFakeBackend();
    const message = '<script>window.pwned=1</script><b>Denied</b>';
    backend.authorization.always(() => HttpResponse.json({ success: false, code: 'ILLEGAL_AUTH', message, data: null }));
    const { user, container } = renderUploader();
    await user.upload(fileInput(), makeFile('a.pdf'));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(message);
    expect(container.querySelector('script, b')).toBeNull();
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  });

  it('shows a localised sentence, not the markup, for an OSS error message carrying HTML', async () => {
    const backend = useFakeBackend();
    backend.oss.always(ossErrorResponse(403, 'AccessDenied', '&lt;img src=x onerror=alert(1)&gt; denied'));
    const { user, container } = renderUploader();
    await user.upload(fileInput(), makeFile('b.pdf'));
    const row = await expectRowStatus('b.pdf', 'Failed');
    expect(row).toHaveTextContent('Storage denied access.');
    expect(container.querySelector('img[src="x"]')).toBeNull();
  });
});

describe('the authorization is never logged', () => {
  it('keeps policy and signature out of every console call, through success, re-authorization and failure', async () => {
    const backend = useFakeBackend();
    backend.oss.once(ossPolicyExpired());
    const calls: unknown[][] = [];
    for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        calls.push(args);
      });
    }
    const { user } = renderUploader();
    await user.upload(fileInput(), [makeFile('one.pdf'), makeFile('two.pdf')]);
    await expectRowStatus('one.pdf', 'Uploaded');
    await expectRowStatus('two.pdf', 'Uploaded');
    backend.authorization.always(() => HttpResponse.json({ success: false, message: 'no' }));
    backend.oss.always(ossPolicyExpired());
    await user.upload(fileInput(), makeFile('three.pdf'));
    await expectRowStatus('three.pdf', 'Failed');

    const secrets = backend.uploads.flatMap((upload) => [upload.fields.policy, upload.fields.Signature]).filter(Boolean) as string[];
    expect(secrets.length).toBeGreaterThan(0);
    const logged = calls
      .map((args) => args.map((arg) => (typeof arg === 'string' ? arg : (JSON.stringify(arg) ?? String(arg)))).join(' '))
      .join('\n');
    for (const secret of secrets) expect(logged).not.toContain(secret);
  });
});
