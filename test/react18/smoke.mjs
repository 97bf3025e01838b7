// Runs inside a scratch project that installed the packed library with React 18 (see run.mjs):
// server rendering, and a client render in StrictMode that uploads two files through the hook.
import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><div id="root"></div>', { url: 'http://localhost/', pretendToBeVisual: true });
for (const key of [
  'window',
  'document',
  'navigator',
  'HTMLElement',
  'Node',
  'File',
  'Blob',
  'DataTransfer',
  'Event',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'getComputedStyle',
  'MutationObserver',
]) {
  Object.defineProperty(globalThis, key, { value: dom.window[key], configurable: true, writable: true });
}

const React = await import('react');
const { createRoot } = await import('react-dom/client');
const { renderToString } = await import('react-dom/server');
const { QueryClient, QueryClientProvider } = await import('@tanstack/react-query');
const { TicketAttachmentUploader, useTicketAttachmentUpload } = await import('ticket-attachment-uploader');
// The policy is base64 of compact JSON, as a signer builds it (the package decodes policies, it never encodes one).
const encodeOssPolicy = (document) => Buffer.from(JSON.stringify(document)).toString('base64');
const h = React.createElement;
const results = [];
const check = async (name, run) => {
  try {
    await run();
    results.push([name, true]);
  } catch (error) {
    results.push([name, false]);
    console.error(`✗ ${name}\n`, error);
  }
};

const envelope = () => ({
  success: true,
  code: '200',
  message: 'successful',
  data: {
    accessId: 'LTAI-react18',
    signature: 'sig=',
    dir: 'pop_temp18/',
    host: 'https://bucket.example/',
    expire: String(Math.floor(Date.now() / 1000) + 120),
    policy: encodeOssPolicy({
      expiration: new Date(Date.now() + 120_000).toISOString(),
      conditions: [
        ['content-length-range', 0, 2_097_152],
        ['starts-with', '$key', 'pop_temp18/'],
      ],
    }),
  },
});

await check(`runs on React ${React.version}`, () => assert.match(React.version, /^18\./));

await check('renders on the server', () => {
  const html = renderToString(
    h(QueryClientProvider, { client: new QueryClient() }, h(TicketAttachmentUploader, { fetchAuthorization: async () => envelope() })),
  );
  assert.match(html, /Attach files/);
});

await check('uploads two files in StrictMode and emits their keys in order', async () => {
  let upload;
  function Form() {
    const [paths, setPaths] = React.useState([]);
    upload = useTicketAttachmentUpload({
      fetchAuthorization: async () => envelope(),
      value: paths,
      onChange: setPaths,
      send: async (request) => {
        request.onProgress?.(50, 100);
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { key: request.key, status: 200, etag: null, requestId: null, location: null, serverDate: null };
      },
    });
    return h('output', null, paths.join(','));
  }
  const root = createRoot(document.getElementById('root'));
  root.render(h(React.StrictMode, null, h(QueryClientProvider, { client: new QueryClient() }, h(Form))));
  await new Promise((resolve) => setTimeout(resolve, 100));
  upload.addFiles([new File(['hello'], 'a.txt', { type: 'text/plain' }), new File(['world'], 'b.txt', { type: 'text/plain' })]);
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.deepEqual(
    upload.files.map((file) => file.status),
    ['done', 'done'],
  );
  assert.match(document.querySelector('output').textContent, /^pop_temp18\/\w+\/a\.txt,pop_temp18\/\w+\/b\.txt$/);
  root.unmount();
});

const failed = results.filter(([, ok]) => !ok).length;
for (const [name, ok] of results) console.log(`${ok ? '✓' : '✗'} ${name}`);
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
