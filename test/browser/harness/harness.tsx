import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { TicketAttachmentUploader, type UploaderLocale } from '../../../src';
import '../../../src/components/styles.css';

/** What the browser tests read back: everything the uploader told its parent form. */
export interface HarnessRecord {
  paths: string[];
  changes: string[][];
  busyChanges: boolean[];
  removed: string[];
  succeeded: { name: string; key: string }[];
  failed: { name: string; code: string }[];
  authorizationRequests: number;
}

declare global {
  interface Window {
    harness: HarnessRecord;
    unmountUploader: () => void;
  }
}

const params = new URLSearchParams(location.search);
const numberParam = (name: string) => (params.has(name) ? Number(params.get(name)) : undefined);

window.harness = { paths: [], changes: [], busyChanges: [], removed: [], succeeded: [], failed: [], authorizationRequests: 0 };

function fetchAuthorization({ signal }: { signal: AbortSignal }) {
  window.harness.authorizationRequests += 1;
  return fetch('/api/getOSSTempAuthor', { signal, cache: 'no-store' });
}

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
          fetchAuthorization={fetchAuthorization}
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
