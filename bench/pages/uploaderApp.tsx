/**
 * The component bench page: a ticket form with a title input and <TicketAttachmentUploader> inside a
 * React <Profiler>, driven from Node through `window.uploaderBench`. Uses the public entry only.
 * The renderer is injected so the same page runs on react-dom (plain production build) and on
 * react-dom/profiling (production build with Profiler timings).
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Profiler, useEffect, useState, type ProfilerOnRenderCallback, type ReactNode } from 'react';
import { attachmentQueryKeys, TicketAttachmentUploader, type FetchAuthorization, type FetchUploadUrl } from '../../src';
import 'ticket-attachment-uploader/styles.css';
import {
  createFiles,
  epochNow,
  observeLongTasks,
  readNumberParam,
  recordXhrLoads,
  recordXhrSends,
  type AuthorizationCall,
  type CommitRecord,
  type DropMark,
  type PageStats,
  type UploaderBenchApi,
  type UploaderPageConfig,
} from './benchApi';

export interface ReactDomRenderer {
  createRoot(container: Element): { render(children: ReactNode): void };
  flushSync(fn: () => void): void;
}

const params = new URLSearchParams(location.search);
const config: UploaderPageConfig = {
  maxFiles: readNumberParam(params, 'maxFiles', 20),
  concurrency: readNumberParam(params, 'concurrency', 3),
  authDelayMs: readNumberParam(params, 'authDelayMs', 0),
  deferAuthorization: params.get('deferAuthorization') === '1',
  mode: params.get('mode') === 'put' ? 'put' : 'post',
  uploadUrlDelayMs: readNumberParam(params, 'uploadUrlDelayMs', 0),
};

const stats: PageStats = {
  commits: [],
  longTasks: observeLongTasks(),
  authorizationCalls: [],
  uploadUrlCalls: [],
  changes: [],
  keyLatencies: [],
  xhrSends: recordXhrSends(),
  xhrLoads: recordXhrLoads(),
};
const pathWaiters: { count: number; resolve: (at: number) => void }[] = [];
const controls: { enable: (() => void) | null } = { enable: null };

/** Calls `callback` with the time right after the next frame is produced (rAF, then a task). */
function afterNextFrame(callback: (at: number) => void): void {
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => callback(performance.now());
    channel.port2.postMessage(null);
  });
}

// getOSSTempAuthor through the bench server's /api proxy. BENCH-ONLY: `authDelayMs` simulates a
// slower backend (the local ticket API answers in about a millisecond).
const fetchAuthorization: FetchAuthorization = async ({ signal }) => {
  const call: AuthorizationCall = { startedAt: performance.now(), answeredAt: Number.NaN };
  stats.authorizationCalls.push(call);
  if (config.authDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, config.authDelayMs));
  const response = await fetch('/api/getOSSTempAuthor', { signal });
  call.answeredAt = performance.now();
  return response;
};

// The 2021-06-10 handler through the bench server's /api proxy, one call per file. BENCH-ONLY:
// `uploadUrlDelayMs` simulates a slower backend, as `authDelayMs` does for getOSSTempAuthor.
async function requestUploadUrl(fileName: string, signal?: AbortSignal): Promise<Response> {
  if (config.uploadUrlDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, config.uploadUrlDelayMs));
  return fetch('/api/attachment-upload-url', {
    method: 'POST',
    signal,
    cache: 'no-store',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ fileName }),
  });
}

const fetchUploadUrl: FetchUploadUrl = async ({ file, signal }) => {
  const call: AuthorizationCall = { startedAt: performance.now(), answeredAt: Number.NaN };
  stats.uploadUrlCalls.push(call);
  const response = await requestUploadUrl(file.name, signal);
  call.answeredAt = performance.now();
  return response;
};

const uploadMode = config.mode === 'put' ? { fetchUploadUrl } : { fetchAuthorization };

const onChange = (paths: string[]): void => {
  const at = performance.now();
  stats.changes.push({ at, count: paths.length });
  for (const waiter of [...pathWaiters]) {
    if (paths.length >= waiter.count) {
      pathWaiters.splice(pathWaiters.indexOf(waiter), 1);
      waiter.resolve(at);
    }
  }
};

const onRender: ProfilerOnRenderCallback = (_id, phase, actualDuration, _baseDuration, _startTime, commitTime) => {
  const record: CommitRecord = { phase, actualDuration, commitTime };
  stats.commits.push(record);
};

function BenchForm({ flushSync }: { flushSync: ReactDomRenderer['flushSync'] }) {
  const [title, setTitle] = useState('');
  const [enabled, setEnabled] = useState(!config.deferAuthorization);
  useEffect(() => {
    controls.enable = () => flushSync(() => setEnabled(true));
  }, [flushSync]);
  return (
    <form onSubmit={(event) => event.preventDefault()}>
      <p>
        <label>
          Title <input id="bench-title" value={title} onChange={(event) => setTitle(event.target.value)} />
        </label>
      </p>
      <Profiler id="uploader" onRender={onRender}>
        <TicketAttachmentUploader
          {...uploadMode}
          maxFiles={config.maxFiles}
          concurrency={config.concurrency}
          disabled={!enabled}
          onChange={onChange}
        />
      </Profiler>
    </form>
  );
}

export function mountUploaderBench(renderer: ReactDomRenderer): void {
  const queryClient = new QueryClient();
  const container = document.getElementById('root');
  if (!container) throw new Error('#root is missing');
  renderer.createRoot(container).render(
    <QueryClientProvider client={queryClient}>
      <BenchForm flushSync={renderer.flushSync} />
    </QueryClientProvider>,
  );

  // keydown → next frame, for every key typed into the title input.
  document.addEventListener(
    'keydown',
    (event) => {
      if (!(event.target instanceof HTMLInputElement) || event.target.id !== 'bench-title') return;
      const start = event.timeStamp;
      afterNextFrame((at) => stats.keyLatencies.push(at - start));
    },
    { capture: true },
  );

  const fileInput = (): HTMLInputElement => {
    const input = document.querySelector<HTMLInputElement>('input[type="file"]');
    if (!input) throw new Error('no file input');
    return input;
  };
  let rows: Promise<{ rowsAt: number; frameAt: number }> | null = null;

  const api: UploaderBenchApi = {
    config,
    whenAuthorized: () =>
      new Promise((resolve) => {
        // PUT mode has nothing to prefetch: each file asks its own URL when it starts.
        if (config.mode === 'put') return resolve(performance.now());
        const key = attachmentQueryKeys.authorization();
        const check = () => queryClient.getQueryState(key)?.status === 'success';
        if (check()) return resolve(performance.now());
        const unsubscribe = queryClient.getQueryCache().subscribe(() => {
          if (!check()) return;
          unsubscribe();
          resolve(performance.now());
        });
      }),
    prepareFiles(count, size) {
      // The FileList is attached to the input here, in its own task: building it is the browser's
      // job in a real pick or drop, so it stays out of the measured task.
      const input = fileInput();
      const transfer = new DataTransfer();
      for (const file of createFiles(count, size)) transfer.items.add(file);
      input.files = transfer.files;
    },
    drop(options = {}) {
      const input = fileInput();
      // Cold start: the uploader was mounted disabled (no prefetch) and is enabled right here,
      // synchronously (flushSync), so the first file finds no authorization in the cache.
      const enableStart = performance.now();
      if (config.deferAuthorization) controls.enable?.();
      const enableMs = performance.now() - enableStart;
      const watchRows = options.watchRows;
      if (watchRows !== undefined) {
        rows = new Promise((resolve) => {
          const observer = new MutationObserver(() => {
            if (document.querySelectorAll('ul[aria-label="Attachments"] > li').length < watchRows) return;
            observer.disconnect();
            const rowsAt = performance.now();
            afterNextFrame((frameAt) => resolve({ rowsAt, frameAt }));
          });
          observer.observe(container, { childList: true, subtree: true });
        });
      }
      const mark: DropMark = { t0: performance.now(), epochT0: epochNow(), dateT0: Date.now(), enableMs };
      input.dispatchEvent(new Event('change', { bubbles: true }));
      return mark;
    },
    async measureUploadUrlRoundTrips(count) {
      const durations: number[] = [];
      for (let index = 0; index < count; index += 1) {
        const start = performance.now();
        const response = await requestUploadUrl(`round-trip-${index + 1}.bin`);
        await response.json();
        durations.push(performance.now() - start);
      }
      return durations;
    },
    waitForPaths: (count) =>
      new Promise((resolve) => {
        const done = stats.changes.find((change) => change.count >= count);
        if (done) resolve(done.at);
        else pathWaiters.push({ count, resolve });
      }),
    waitForRows: () => rows ?? Promise.reject(new Error('drop({ watchRows }) was not called')),
    stats: () => stats,
  };
  window.uploaderBench = api;
}
