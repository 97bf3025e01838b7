import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type * as PublicApi from '../../src/index';

// The built package in plain Node, as a server renderer (Next.js, Remix) would load it: no window,
// no document. Importing must not touch them, and the first render must produce the markup.
describe('server rendering of the built package', () => {
  it('imports without a DOM and renders the uploader to HTML', async () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
    // The built file, not src/ (typed from src/, since dist/ only exists after the build).
    const builtEntry = new URL('../../dist/index.js', import.meta.url).href;
    const { TicketAttachmentUploader } = (await import(/* @vite-ignore */ builtEntry)) as typeof PublicApi;
    const html = renderToString(
      createElement(
        QueryClientProvider,
        { client: new QueryClient() },
        createElement(TicketAttachmentUploader, { fetchAuthorization: () => new Promise<never>(() => {}), name: 'attachments' }),
      ),
    );
    expect(html).toContain('Attach files');
    expect(html).toContain('Choose files to attach');
    expect(html).toContain('role="status"');
  });

  it('starts the bundle with the "use client" directive for React Server Components bundlers', async () => {
    const { readFile } = await import('node:fs/promises');
    const code = await readFile(new URL('../../dist/index.js', import.meta.url), 'utf8');
    expect(code.startsWith("'use client';") || code.startsWith('"use client";')).toBe(true);
  });
});
