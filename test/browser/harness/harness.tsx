/// <reference types="vite/client" />
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { TicketAttachmentUploader, type UploaderLocale } from '../../../src';
import { fetchUploadUrl as fetchDemoUploadUrl } from '../../../demo/demoApi';
import { scriptedSend } from './scriptedSend';

/** What the browser tests read back: everything the uploader told its parent form. */
export interface HarnessRecord {
  paths: string[];
  changes: string[][];
  busyChanges: boolean[];
  removed: string[];
  succeeded: { name: string; key: string }[];
  failed: { name: string; code: string }[];
  authorizationRequests: number;
  /** `mode=put`: the upload URL requests (one per file, plus one per expired URL). */
  uploadUrlRequests: number;
}

declare global {
  interface Window {
    harness: HarnessRecord;
    unmountUploader: () => void;
  }
}

const params = new URLSearchParams(location.search);
const numberParam = (name: string) => (params.has(name) ? Number(params.get(name)) : undefined);

// `unstyled`: the markup as an app without our stylesheet shows it (README promises it stays readable).
if (!params.has('unstyled')) await import('../../../src/components/styles.css');
// `font=cjk`: a Chinese font for screenshots (the machine may have none). The test page's business,
// not the component's: an app brings its own fonts.
if (params.get('font') === 'cjk') {
  await import('@fontsource/noto-sans-sc/400.css');
  await import('@fontsource/noto-sans-sc/600.css');
  document.body.style.fontFamily = "'Noto Sans SC', sans-serif";
}

window.harness = {
  paths: [],
  changes: [],
  busyChanges: [],
  removed: [],
  succeeded: [],
  failed: [],
  authorizationRequests: 0,
  uploadUrlRequests: 0,
};

// `authorizationUrl`: another endpoint, e.g. a route the backend does not have.
const authorizationUrl = params.get('authorizationUrl') ?? '/api/getOSSTempAuthor';

function fetchAuthorization({ signal }: { signal: AbortSignal }) {
  window.harness.authorizationRequests += 1;
  return fetch(authorizationUrl, { signal, cache: 'no-store' });
}

// `mode=put`: presigned PUT mode, each file's URL from the 2021-06-10 handler.
function fetchUploadUrl(request: { file: File; signal: AbortSignal }) {
  window.harness.uploadUrlRequests += 1;
  return fetchDemoUploadUrl(request);
}

// `send=scripted` replaces the POST transport (POST mode only).
const uploadMode =
  params.get('mode') === 'put'
    ? { fetchUploadUrl }
    : { fetchAuthorization, send: params.get('send') === 'scripted' ? scriptedSend : undefined };

function Harness() {
  const [paths, setPaths] = useState<string[]>([]);
  const [mounted, setMounted] = useState(true);
  useEffect(() => {
    window.unmountUploader = () => setMounted(false);
  }, []);
  return (
    <form aria-label="Harness form" onSubmit={(event) => event.preventDefault()} style={{ maxWidth: 640, margin: 24 }}>
      {mounted && (
        <TicketAttachmentUploader
          {...uploadMode}
          name="attachments"
          value={paths}
          onChange={(next) => {
            window.harness.paths = next;
            window.harness.changes.push(next);
            setPaths(next);
          }}
          maxFiles={numberParam('maxFiles')}
          concurrency={numberParam('concurrency')}
          maxAttempts={numberParam('maxAttempts')}
          stallTimeoutMs={numberParam('stallTimeoutMs')}
          locale={(params.get('locale') as UploaderLocale | null) ?? 'en'}
          accept={params.has('accept') ? (JSON.parse(params.get('accept') as string) as Record<string, string[]>) : undefined}
          onBusyChange={(busy) => window.harness.busyChanges.push(busy)}
          onRemoveUploaded={(key) => window.harness.removed.push(key)}
          onUploadSucceeded={(file, key) => window.harness.succeeded.push({ name: file.name, key })}
          onUploadFailed={(file, error) => window.harness.failed.push({ name: file.name, code: error.code })}
        />
      )}
    </form>
  );
}

const queryClient = new QueryClient();
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <Harness />
    </QueryClientProvider>
  </StrictMode>,
);
