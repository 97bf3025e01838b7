/** The queue's part of "Shrink to fit" (issue 12 §1): offered images, auto mode, abort, offline. */
import { describe, expect, it } from 'vitest';
import { makeFile } from '../../fixtures';
import { createHeldShrinker } from '../support/heldShrinker';
import { flush, setupQueue } from '../support/uploadQueueHarness';

const photo = makeFile('photo.png', 5_000, 'image/png');
const shrunk = makeFile('photo.jpg', 900, 'image/jpeg');

describe('upload queue: shrinking images over the limit', () => {
  it('offers only the files over shrinkTo, shrinks one on shrink(id), then uploads the shrunk copy', async () => {
    const { shrinkImage, calls } = createHeldShrinker();
    const harness = setupQueue({ shrinkImage });
    const [offered, small] = harness.queue.add([photo, makeFile('small.txt', 100, 'text/plain')], 1_000);

    expect(harness.status(offered as string)).toBe('shrinkOffered');
    expect(harness.find(offered as string)?.shrinkTo).toBe(1_000);
    expect(harness.status(small as string)).toBe('authorizing');
    expect(shrinkImage).not.toHaveBeenCalled();

    harness.queue.shrink(offered as string);
    expect(harness.status(offered as string)).toBe('shrinking');
    expect(calls[0]?.options.maxBytes).toBe(1_000);

    calls[0]?.succeed(shrunk);
    await flush();
    expect(harness.find(offered as string)).toMatchObject({ file: shrunk, originalSize: 5_000 });
    expect(harness.sends.find((held) => held.request.file === shrunk)?.request.key.endsWith('/photo.jpg')).toBe(true);
  });

  it('autoShrink shrinks at once, also after a retry of a failed shrink', async () => {
    const { shrinkImage, calls } = createHeldShrinker();
    const harness = setupQueue({ shrinkImage, autoShrink: true });
    const [id] = harness.queue.add([photo], 1_000);
    expect(harness.status(id as string)).toBe('shrinking');

    calls[0]?.fail(new Error('decoder crashed'));
    await flush();
    // Anything but an UploadError reads as "this browser cannot decode it".
    expect(harness.find(id as string)).toMatchObject({ status: 'failed', error: { code: 'image-not-decodable' } });

    harness.queue.retry(id as string);
    expect(harness.status(id as string)).toBe('shrinking');
    expect(calls).toHaveLength(2);
  });

  it('aborts the shrink on remove, cancel and abortAll; a late answer changes nothing', async () => {
    const { shrinkImage, calls } = createHeldShrinker();
    const harness = setupQueue({ shrinkImage, autoShrink: true });
    const [removed, canceled, unmounted] = harness.queue.add([photo, photo, photo], 1_000);

    harness.queue.remove(removed as string);
    harness.queue.cancel(canceled as string);
    harness.queue.abortAll();

    expect(calls.map((call) => call.options.signal?.aborted)).toEqual([true, true, true]);
    expect(harness.find(removed as string)).toBeUndefined();
    expect(harness.status(canceled as string)).toBe('canceled');
    expect(harness.status(unmounted as string)).toBe('canceled');
    calls[1]?.succeed(shrunk);
    await flush();
    expect(harness.status(canceled as string)).toBe('canceled');
    expect(harness.sends).toHaveLength(0);
  });

  it('keeps shrinking while offline (local work), and the shrunk copy waits for the connection', async () => {
    const { shrinkImage, calls } = createHeldShrinker();
    let online = true;
    const listeners = new Set<() => void>();
    const connectivity = {
      isOnline: () => online,
      subscribe(listener: () => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const harness = setupQueue({ shrinkImage, autoShrink: true, connectivity });
    const [id] = harness.queue.add([photo], 1_000);
    online = false;
    for (const listener of listeners) listener();

    expect(calls[0]?.options.signal?.aborted).toBe(false);
    expect(harness.status(id as string)).toBe('shrinking');
    calls[0]?.succeed(shrunk);
    await flush();
    expect(harness.find(id as string)).toMatchObject({ status: 'queued', waitingForConnection: true, file: shrunk });
    expect(harness.sends).toHaveLength(0);
  });
});
