import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ControlFaultsResponse } from '../../../server/oss-emulator/controlApi';
import { DEFAULT_FAULT_SEED } from '../../../server/oss-emulator/faults';
import type { OssEmulator } from '../../../server/oss-emulator/ossEmulator';
import { setUpEmulator, waitFor } from '../support/emulatorFixture';
import { buildForm, controlJson, encodeForm, parseOssError, postForm, rawPost, signedFields } from '../support/ossForms';

const fixture = setUpEmulator();
const { objects, requests } = fixture;
let emulator: OssEmulator;
beforeAll(() => {
  emulator = fixture.emulator();
});

const setFaults = (patch: Record<string, number>): Promise<ControlFaultsResponse> =>
  controlJson<ControlFaultsResponse>(emulator.url, 'faults', patch);
const upload = (key: string, content: string | Uint8Array = 'x'): Promise<{ status: number; body: string }> =>
  postForm(emulator.url, buildForm(signedFields(emulator, { key }), { content }));

describe('control API (issue 3 §1)', () => {
  it('starts with every fault off', async () => {
    expect(await controlJson<ControlFaultsResponse>(emulator.url, 'faults')).toEqual({
      latencyMs: 0,
      latencyJitterMs: 0,
      bandwidthBytesPerSecond: 0,
      failureRate: 0,
      failureStatus: 500,
      dropRate: 0,
      forcePolicyExpired: 0,
      clockOffsetMs: 0,
      maxFaultsPerName: 0,
      seed: DEFAULT_FAULT_SEED,
    });
  });

  it('merges a partial faults update and keeps the other knobs', async () => {
    await setFaults({ latencyMs: 5 });
    const merged = await setFaults({ failureStatus: 503, seed: 7 });
    expect(merged).toMatchObject({ latencyMs: 5, failureStatus: 503, seed: 7, dropRate: 0 });
  });

  it.each([
    { body: { dropRate: 2 }, error: '"dropRate" must be a number in 0..1.' },
    { body: { latencyMs: '5' }, error: '"latencyMs" must be a number >= 0.' },
    { body: { failureStatus: 200 }, error: '"failureStatus" must be an HTTP status 400..599.' },
    { body: { forcePolicyExpired: 1.5 }, error: '"forcePolicyExpired" must be an integer >= 0.' },
    { body: { speed: 1 }, error: 'Unknown fault "speed".' },
    { body: [1], error: 'The body must be a JSON object.' },
  ])('refuses an invalid faults update $body with 400', async ({ body, error }) => {
    const response = await fetch(`${emulator.url}/__control/faults`, { method: 'POST', body: JSON.stringify(body) });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error });
  });

  it('lists objects in storage order with key, size, md5, etag, contentType and storedAt', async () => {
    await upload('b', 'bbb');
    await upload('a', 'a');
    const listed = await objects();
    expect(listed.map(({ key, size }) => ({ key, size }))).toEqual([
      { key: 'b', size: 3 },
      { key: 'a', size: 1 },
    ]);
    expect(Object.keys(listed[0] ?? {}).sort()).toEqual(['contentType', 'etag', 'key', 'md5', 'size', 'storedAt']);
  });

  it('resets objects, the request log and the faults', async () => {
    await upload('k');
    await setFaults({ latencyMs: 1, forcePolicyExpired: 3 });
    await controlJson(emulator.url, 'reset', {});
    expect(await objects()).toEqual([]);
    expect(await requests()).toEqual([]);
    expect(await controlJson<ControlFaultsResponse>(emulator.url, 'faults')).toMatchObject({ latencyMs: 0, forcePolicyExpired: 0 });
    expect((await fetch(`${emulator.url}/k`)).status).toBe(404);
  });

  it('answers 404 for an unknown control endpoint and 405 for a wrong method', async () => {
    expect((await fetch(`${emulator.url}/__control/nope`)).status).toBe(404);
    expect((await fetch(`${emulator.url}/__control/reset`)).status).toBe(405);
  });
});

describe('fault knobs (issue 3 §1)', () => {
  it('latencyMs delays each PostObject', async () => {
    await setFaults({ latencyMs: 150 });
    const started = performance.now();
    expect((await upload('slow')).status).toBe(204);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('latencyJitterMs varies the latency within ±jitter', async () => {
    await setFaults({ latencyMs: 60, latencyJitterMs: 50, seed: 1 });
    const durations: number[] = [];
    for (const key of ['j1', 'j2', 'j3', 'j4']) {
      const started = performance.now();
      await upload(key);
      durations.push(performance.now() - started);
    }
    for (const duration of durations) expect(duration).toBeGreaterThanOrEqual(5);
    expect(Math.max(...durations) - Math.min(...durations)).toBeGreaterThan(5);
  });

  it('bandwidthBytesPerSecond paces reading the body, so the upload takes size / rate', async () => {
    await setFaults({ bandwidthBytesPerSecond: 400_000 });
    const started = performance.now();
    expect((await upload('paced', randomBytes(200_000))).status).toBe(204);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(3_000);
    const [entry] = await requests();
    expect((entry?.finishedAt ?? 0) - (entry?.firstFileByteAt ?? 0)).toBeGreaterThanOrEqual(400);
  });

  it('failureRate 1 with failureStatus 503 reads the body, stores nothing and answers 503 ServiceUnavailable', async () => {
    await setFaults({ failureRate: 1, failureStatus: 503 });
    const result = await upload('fails', randomBytes(100_000));
    expect(result.status).toBe(503);
    expect(parseOssError(result.body)).toMatchObject({ code: 'ServiceUnavailable', message: 'Please reduce your request rate.' });
    expect(await objects()).toEqual([]);
    const [entry] = await requests();
    expect(entry).toMatchObject({ status: 503, code: 'ServiceUnavailable', fault: 'failure' });
    expect(entry?.bytesReceived).toBeGreaterThan(100_000);
  });

  it('failureRate 1 with the default status answers 500 InternalError', async () => {
    await setFaults({ failureRate: 1 });
    const result = await upload('fails');
    expect({ status: result.status, code: parseOssError(result.body).code }).toEqual({ status: 500, code: 'InternalError' });
  });

  it('failureRate 0.5 fails the same requests again for the same seed', async () => {
    const run = async (): Promise<number[]> => {
      await controlJson(emulator.url, 'reset', {});
      await setFaults({ failureRate: 0.5, seed: 42 });
      const statuses: number[] = [];
      for (let index = 0; index < 12; index += 1) statuses.push((await upload(`r${index}`)).status);
      return statuses;
    };
    const first = await run();
    expect(first).toContain(500);
    expect(first).toContain(204);
    expect(await run()).toEqual(first);
  });

  it('dropRate 1 destroys the socket mid-body and leaves nothing behind', async () => {
    await setFaults({ dropRate: 1 });
    const form = buildForm(signedFields(emulator, { key: 'dropped' }), { content: randomBytes(500_000) });
    const { body, contentType } = await encodeForm(form);
    await expect(rawPost(emulator.url, { 'content-type': contentType, 'content-length': body.length }, body)).rejects.toThrow();
    await waitFor(async () => (await requests()).length === 1);
    const [entry] = await requests();
    expect(entry).toMatchObject({ status: 0, fault: 'drop' });
    expect(entry?.bytesReceived).toBeLessThan(body.length);
    expect(entry?.bytesReceived).toBeGreaterThan(0);
    expect(await objects()).toEqual([]);
    await waitFor(async () => (await readdir(path.join(emulator.dataDir, 'tmp'))).length === 0);
  });

  it('forcePolicyExpired N answers the next N PostObjects with 403 "Policy expired." and then recovers', async () => {
    await setFaults({ forcePolicyExpired: 2 });
    const first = await upload('f1');
    expect({ status: first.status, ...parseOssError(first.body) }).toMatchObject({
      status: 403,
      code: 'AccessDenied',
      message: 'Invalid according to Policy: Policy expired.',
    });
    expect(await controlJson<ControlFaultsResponse>(emulator.url, 'faults')).toMatchObject({ forcePolicyExpired: 1 });
    expect((await upload('f2')).status).toBe(403);
    expect((await upload('f3')).status).toBe(204);
    expect((await requests()).map(({ fault, policyExpiredAtReceipt }) => ({ fault, policyExpiredAtReceipt }))).toEqual([
      { fault: 'forced-policy-expired', policyExpiredAtReceipt: false },
      { fault: 'forced-policy-expired', policyExpiredAtReceipt: false },
      { fault: undefined, policyExpiredAtReceipt: false },
    ]);
  });

  it('maxFaultsPerName N lets at most N injected failures and drops, and one forced expiry, reach one object name, whatever its folder', async () => {
    await setFaults({ failureRate: 1, failureStatus: 503, maxFaultsPerName: 2 });
    const statuses = [];
    for (const key of ['a/report.pdf', 'b/report.pdf', 'c/report.pdf', 'a/other.pdf']) statuses.push((await upload(key, 'content')).status);
    expect(statuses).toEqual([503, 503, 204, 503]);
    expect((await objects()).map((object) => object.key)).toEqual(['c/report.pdf']);

    await setFaults({ failureRate: 0, dropRate: 1 });
    const form = buildForm(signedFields(emulator, { key: 'd/other.pdf' }), { content: randomBytes(200_000) });
    const { body, contentType } = await encodeForm(form);
    await expect(rawPost(emulator.url, { 'content-type': contentType, 'content-length': body.length }, body)).rejects.toThrow();
    // other.pdf has met its 2 faults (a 503 and this drop): the next one is stored.
    expect((await upload('e/other.pdf', 'content')).status).toBe(204);

    // One forced expiry per name: held back from a name that had one, it goes to the next request.
    await setFaults({ dropRate: 0, forcePolicyExpired: 1 });
    expect((await upload('f/expiring.pdf')).status).toBe(403);
    await setFaults({ forcePolicyExpired: 1 });
    expect((await upload('g/expiring.pdf')).status).toBe(204);
    expect((await upload('h/next.pdf')).status).toBe(403);
    expect((await requests()).map(({ key, fault }) => [key, fault ?? null])).toEqual([
      ['a/report.pdf', 'failure'],
      ['b/report.pdf', 'failure'],
      ['c/report.pdf', null],
      ['a/other.pdf', 'failure'],
      ['d/other.pdf', 'drop'],
      ['e/other.pdf', null],
      ['f/expiring.pdf', 'forced-policy-expired'],
      ['g/expiring.pdf', null],
      ['h/next.pdf', 'forced-policy-expired'],
    ]);
  });

  it('clockOffsetMs moves the emulator clock: a 2-minute policy has expired 10 minutes later (docs/oss-protocol.md §2)', async () => {
    await setFaults({ clockOffsetMs: 10 * 60_000 });
    const before = Date.now();
    const result = await upload('late');
    expect(parseOssError(result.body).message).toBe('Invalid according to Policy: Policy expired.');
    const [entry] = await requests();
    expect(entry?.policyExpiredAtReceipt).toBe(true);
    expect(entry?.fault).toBeUndefined();
    expect(entry?.receivedAt).toBeGreaterThanOrEqual(before + 10 * 60_000);
  });

  it('a negative clockOffsetMs makes a V4 x-oss-date look too far ahead (docs/oss-protocol.md §3)', async () => {
    await setFaults({ clockOffsetMs: -20 * 60_000 });
    const form = buildForm(signedFields(emulator, { key: 'v4', version: 'v4' }), { content: 'x' });
    expect(parseOssError((await postForm(emulator.url, form)).body).code).toBe('RequestTimeTooSkewed');
  });
});
