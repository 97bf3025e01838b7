import { act, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeFile } from '../../fixtures';
import { useFakeBackend } from '../support/ossHandlers';
import { createHeldSend, expectRowStatus, fileInput, renderUploader } from '../support/uploaderHarness';

// Going offline in the middle of a batch, as the browser reports it: `navigator.onLine` turns false
// and the window gets an `offline` event; later `online`. No click is needed to finish.

function setOnline(online: boolean) {
  vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(online);
  act(() => {
    window.dispatchEvent(new Event(online ? 'online' : 'offline'));
  });
}

afterEach(() => {
  vi.restoreAllMocks();
  window.dispatchEvent(new Event('online'));
});

const liveRegionTexts = () => [...screen.getByRole('status').querySelectorAll('p')].map((p) => p.textContent);

describe('offline', () => {
  it('says "Waiting for connection" on every row, announces it once, and finishes every file by itself when the connection returns', async () => {
    const backend = useFakeBackend();
    const { send, held } = createHeldSend([50, 100]);
    const onUploadFailed = vi.fn();
    const { user } = renderUploader({ send, onUploadFailed, concurrency: 1 });

    await user.upload(fileInput(), [makeFile('a.pdf', 100), makeFile('b.pdf', 100)]);
    await expectRowStatus('a.pdf', 'Uploading 50%');

    setOnline(false);
    await expectRowStatus('a.pdf', 'Waiting for connection');
    await expectRowStatus('b.pdf', 'Waiting for connection');
    expect(held[0]!.request.signal?.aborted).toBe(true);
    setOnline(false); // a second event for the same outage says nothing more
    await waitFor(() => expect(liveRegionTexts()).toContain('You are offline. Uploads will continue when the connection is back.'));
    expect(liveRegionTexts().filter((text) => text?.startsWith('You are offline'))).toHaveLength(1);

    setOnline(true);
    await waitFor(() => expect(held).toHaveLength(2));
    expect(held[1]!.request.key).toBe(held[0]!.request.key);
    held[1]!.succeed();
    await waitFor(() => expect(held).toHaveLength(3));
    held[2]!.succeed();
    await expectRowStatus('a.pdf', 'Uploaded');
    await expectRowStatus('b.pdf', 'Uploaded');
    expect(onUploadFailed).not.toHaveBeenCalled();
    expect(backend.authorizationRequests).toBe(1); // the cached authorization was still fresh
  });

  it('fails the waiting files with a readable reason and a Retry after offlineTimeoutMs', async () => {
    useFakeBackend();
    const { send, held } = createHeldSend([50, 100]);
    const { user } = renderUploader({ send, offlineTimeoutMs: 200 });

    await user.upload(fileInput(), makeFile('a.pdf', 100));
    await expectRowStatus('a.pdf', 'Uploading 50%');
    setOnline(false);

    const row = await expectRowStatus('a.pdf', 'Failed');
    expect(row).toHaveTextContent('There was no connection for too long. Check your connection and try again.');
    setOnline(true);
    await user.click(screen.getByRole('button', { name: 'Retry a.pdf' }));
    await waitFor(() => expect(held).toHaveLength(2));
    held[1]!.succeed();
    await expectRowStatus('a.pdf', 'Uploaded');
  });

  it('speaks Chinese while offline with locale="zh-CN"', async () => {
    useFakeBackend();
    const { send } = createHeldSend([50, 100]);
    const { user } = renderUploader({ send, locale: 'zh-CN' });

    await user.upload(screen.getByLabelText('选择要添加的附件'), makeFile('a.pdf', 100));
    await expectRowStatus('a.pdf', '正在上传 50%', { listName: '附件' });
    setOnline(false);

    await expectRowStatus('a.pdf', '等待网络连接', { listName: '附件' });
    await waitFor(() => expect(liveRegionTexts()).toContain('网络已断开，恢复连接后将自动继续上传。'));
  });
});
