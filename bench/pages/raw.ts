/**
 * Baseline page: the same files POSTed with bare XMLHttpRequest + FormData, N at a time, no React,
 * no library. One getOSSTempAuthor answer serves the batch while usable (same safety margin as the
 * library: a quarter of the lifetime, at most 15 s). An upload progress listener is registered, as
 * any uploader that shows progress must: both pages then send the same CORS preflight + POST.
 */
import {
  createFiles,
  epochNow,
  observeLongTasks,
  recordXhrLoads,
  recordXhrSends,
  type RawBenchApi,
  type RawUploadResult,
} from './benchApi';

const longTasks = observeLongTasks();
const xhrSends = recordXhrSends();
const xhrLoads = recordXhrLoads();

interface Authorization {
  accessId: string;
  policy: string;
  signature: string;
  dir: string;
  host: string;
  usableUntil: number;
}

let authorization: Authorization | null = null;
let pending: Promise<Authorization> | null = null;
let requests = 0;
let files: File[] = [];

async function fetchAuthorization(): Promise<Authorization> {
  requests += 1;
  const response = await fetch('/api/getOSSTempAuthor');
  const envelope = (await response.json()) as { data: Omit<Authorization, 'usableUntil'> & { expire: string } };
  const { data } = envelope;
  const receivedAt = Date.now();
  const lifetime = Number(data.expire) * 1000 - receivedAt;
  const margin = Math.min(15_000, lifetime / 4);
  return {
    accessId: data.accessId,
    policy: data.policy,
    signature: data.signature,
    dir: data.dir,
    host: data.host,
    usableUntil: receivedAt + lifetime - margin,
  };
}

function getAuthorization(): Promise<Authorization> {
  if (authorization && Date.now() < authorization.usableUntil) return Promise.resolve(authorization);
  pending ??= fetchAuthorization().then((fresh) => {
    authorization = fresh;
    pending = null;
    return fresh;
  });
  return pending;
}

/** PUT mode: one upload URL per file (the 2021-06-10 GetAttachmentUploadUrl), asked right before the file is sent, no prefetch. */
async function put(file: File): Promise<number> {
  const response = await fetch('/api/attachment-upload-url', {
    method: 'POST',
    cache: 'no-store',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ fileName: file.name }),
  });
  // The bench backend answers bare `{ ObjectKey, PutSignedUrl, ContentType }`.
  const data = (await response.json()) as { PutSignedUrl?: string; ContentType?: string };
  const url = data.PutSignedUrl;
  if (!url) return 0;
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url, true);
    xhr.setRequestHeader('Content-Type', data.ContentType ?? 'application/octet-stream');
    xhr.upload.onprogress = () => undefined;
    xhr.onload = () => resolve(xhr.status);
    xhr.onerror = () => resolve(0);
    xhr.send(file);
  });
}

function post(file: File, auth: Authorization): Promise<number> {
  return new Promise((resolve) => {
    const form = new FormData();
    form.append('key', `${auth.dir}${Math.random().toString(36).slice(2, 14)}/${file.name}`);
    form.append('policy', auth.policy);
    form.append('OSSAccessKeyId', auth.accessId);
    form.append('Signature', auth.signature);
    form.append('success_action_status', '200');
    form.append('file', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', auth.host, true);
    xhr.upload.onprogress = () => undefined;
    xhr.onload = () => resolve(xhr.status);
    xhr.onerror = () => resolve(0);
    xhr.send(form);
  });
}

const api: RawBenchApi = {
  async ready() {
    await getAuthorization();
  },
  prepareFiles(count, size) {
    files = createFiles(count, size);
  },
  async upload(concurrency, mode = 'post') {
    const queue = [...files];
    const statuses: number[] = [];
    const t0 = performance.now();
    const epochT0 = epochNow();
    const worker = async () => {
      for (let file = queue.shift(); file; file = queue.shift())
        statuses.push(mode === 'put' ? await put(file) : await post(file, await getAuthorization()));
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
    const result: RawUploadResult = {
      t0,
      epochT0,
      t1: performance.now(),
      statuses,
      xhrSends: xhrSends.filter((at) => at >= t0),
      xhrLoads: xhrLoads.filter((at) => at >= t0),
    };
    return result;
  },
  authorizationRequests: () => requests,
  longTasks: () => longTasks,
};
window.rawBench = api;
