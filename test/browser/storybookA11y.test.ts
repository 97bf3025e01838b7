/**
 * Every story, built and served like a deployed Storybook, rendered in the system Chromium and
 * checked with axe-core: zero violations (issue 5, browser case 10).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatViolations, runAxe } from './support/axe';
import { launchBrowser, type BrowserSession } from './support/launchBrowser';
import { startStaticServer, type StaticServer } from './support/staticServer';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);

/**
 * axe runs on the story's canvas, as Storybook's a11y addon does: the iframe page around it is
 * Storybook's, and page-level rules (one `<h1>`, one `main`) belong to the demo page's own check.
 * `region` stays on: the preview decorator puts every story in a `<main>`, as a page would.
 */
const AXE_SCOPE = '#storybook-root';

/** The stories issue 5 asks for: every file state, the uploader's own states, both locales, the simulated flows. */
const ROW_STORIES = [
  'queued',
  'retrying',
  'authorizing',
  'uploading-start',
  'uploading-half',
  'uploading-almost-done',
  'saving',
  'done',
  'canceled',
  'attached-path',
];
const FAILED_ROW_STORIES = ['too-large', 'authorization', 'network', 'http-403', 'access-denied', 'timeout', 'storage-503'].map(
  (kind) => `failed-${kind}`,
);
const UPLOADER_STORIES = ['empty', 'disabled', 'drag-active', 'rejection-list', 'chinese-locale', 'authorization-failed', 'saving'];
const INTERACTIVE_STORIES = ['fast', 'slow-upload', 'expiring-authorization', 'flaky-storage'].map((flow) => `interactive-${flow}`);
const REQUIRED_STORIES = [
  ...[...ROW_STORIES, ...FAILED_ROW_STORIES].map((name) => `components-attachmentrow--${name}`),
  ...[...UPLOADER_STORIES, ...INTERACTIVE_STORIES].map((name) => `components-ticketattachmentuploader--${name}`),
];

interface IndexEntry {
  id: string;
  type: 'story' | 'docs';
  title: string;
  name: string;
}

/** What the page exposes of Storybook's preview (`window.__STORYBOOK_PREVIEW__`) and channel. */
interface PreviewWindow {
  __STORYBOOK_PREVIEW__?: {
    ready(): Promise<void>;
    currentRender?: {
      id: string;
      phase?: string;
      story?: { argTypes: Record<string, { description?: string; table?: { type?: { summary?: string } } }> };
    };
  };
  __STORYBOOK_ADDONS_CHANNEL__?: {
    emit(event: string, payload: unknown): void;
    on(event: string, listener: (payload: never) => void): void;
  };
  __taupPreviousRender?: unknown;
  /** Failures Storybook reported for the current story: a render exception, a failed play function, unhandled errors. */
  __taupStoryFailures?: string[];
}

function storybookBin(): string {
  const manifestPath = require.resolve('storybook/package.json');
  const { bin } = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: string | Record<string, string> };
  return join(dirname(manifestPath), typeof bin === 'string' ? bin : (bin.storybook ?? Object.values(bin)[0] ?? ''));
}

/** Builds Storybook into a fresh temp dir, offline (telemetry off, nothing to download). */
async function buildStorybook(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'taup-storybook-'));
  try {
    await promisify(execFile)(process.execPath, [storybookBin(), 'build', '--output-dir', outDir, '--quiet', '--disable-telemetry'], {
      cwd: ROOT,
      env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1', NODE_ENV: 'production' },
      maxBuffer: 32 * 1024 * 1024,
    });
  } catch (error) {
    await rm(outDir, { recursive: true, force: true });
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`storybook build failed:\n${stdout}\n${stderr}`, { cause: error });
  }
  return outDir;
}

// The story list comes from the build itself, so every story gets its own test case.
const outDir = await buildStorybook();
const index = JSON.parse(await readFile(join(outDir, 'index.json'), 'utf8')) as { entries: Record<string, IndexEntry> };
const stories = Object.values(index.entries).filter((entry) => entry.type === 'story');

let server: StaticServer;
let session: BrowserSession;
let page: Page;
let pageErrors: string[] = [];

/**
 * Selects a story the way Storybook's manager does (a `setCurrentStory` event: no page reload, the
 * previous story is unmounted) and waits for its render to reach `finished`, which comes after the
 * play function. Fails when the story threw, its play function failed, or it rendered nothing.
 */
async function showStory(id: string): Promise<void> {
  await page.evaluate((storyId) => {
    const preview = window as unknown as PreviewWindow;
    preview.__taupPreviousRender = preview.__STORYBOOK_PREVIEW__?.currentRender;
    preview.__taupStoryFailures = [];
    preview.__STORYBOOK_ADDONS_CHANNEL__?.emit('setCurrentStory', { storyId, viewMode: 'story' });
  }, id);
  await page.waitForFunction(
    (storyId) => {
      const preview = window as unknown as PreviewWindow;
      const render = preview.__STORYBOOK_PREVIEW__?.currentRender;
      return render !== undefined && render !== preview.__taupPreviousRender && render.id === storyId && render.phase === 'finished';
    },
    id,
    { timeout: 20_000 },
  );
  const state = await page.evaluate(() => ({
    rendered: (document.getElementById('storybook-root')?.childElementCount ?? 0) > 0,
    failures: (window as unknown as PreviewWindow).__taupStoryFailures ?? [],
  }));
  if (state.failures.length > 0) throw new Error(`Story ${id} failed:\n${state.failures.join('\n')}`);
  if (!state.rendered) throw new Error(`Story ${id} rendered nothing into #storybook-root.`);
}

beforeAll(async () => {
  server = await startStaticServer(outDir);
  session = await launchBrowser({ viewport: { width: 1024, height: 768 } });
  page = await session.context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${server.url}/iframe.html?viewMode=story`);
  await page.waitForFunction(() => (window as unknown as PreviewWindow).__STORYBOOK_PREVIEW__ !== undefined);
  await page.evaluate(async () => {
    const preview = window as unknown as PreviewWindow;
    await preview.__STORYBOOK_PREVIEW__?.ready();
    const fail = (text: string) => preview.__taupStoryFailures?.push(text);
    const describe = (error: { message?: string; stack?: string }) => error.stack ?? error.message ?? String(error);
    const channel = preview.__STORYBOOK_ADDONS_CHANNEL__;
    channel?.on('storyThrewException', (error: { message?: string; stack?: string }) => fail(`render threw: ${describe(error)}`));
    channel?.on('storyErrored', (error: { title?: string; description?: string }) =>
      fail(`story errored: ${error.title ?? ''} ${error.description ?? ''}`),
    );
    channel?.on('playFunctionThrewException', (error: { message?: string; stack?: string }) =>
      fail(`play function failed: ${describe(error)}`),
    );
    channel?.on('unhandledErrorsWhilePlaying', (errors: Array<{ message?: string; stack?: string }>) =>
      fail(`unhandled errors while playing: ${errors.map(describe).join('; ')}`),
    );
  });
});

afterAll(async () => {
  await session?.close();
  await server?.close();
  await rm(outDir, { recursive: true, force: true });
});

describe('Storybook accessibility', () => {
  it('builds a story per file state, uploader state and interactive scenario', () => {
    expect(stories.map((story) => story.id)).toEqual(expect.arrayContaining(REQUIRED_STORIES));
  });

  it('fills the props table from the TypeScript types: own props and the options inherited from the hook, with their comments', async () => {
    await showStory('components-ticketattachmentuploader--empty');
    const argTypes = await page.evaluate(
      () => (window as unknown as PreviewWindow).__STORYBOOK_PREVIEW__?.currentRender?.story?.argTypes ?? {},
    );
    const described = Object.entries(argTypes).filter(([, argType]) => (argType.description ?? '').length > 0);
    expect(described.map(([name]) => name)).toEqual(
      expect.arrayContaining(['fetchAuthorization', 'maxFiles', 'onBusyChange', 'onFailedCountChange', 'locale', 'messages', 'name']),
    );
    expect(argTypes.fetchAuthorization?.description).toContain('getOSSTempAuthor');
    expect(argTypes.locale?.table?.type?.summary).toMatch(/"en" \| "zh-CN"/);
  });

  it.for(stories.map((story) => [`${story.title} / ${story.name}`, story.id] as const))('%s has no axe violations', async ([, id]) => {
    pageErrors = [];
    await showStory(id);
    const violations = await runAxe(page, AXE_SCOPE, { resultTypes: ['violations'] });
    expect(pageErrors, `uncaught errors in ${id}`).toEqual([]);
    expect(
      violations.map((violation) => violation.id),
      `axe violations in ${id}:\n${formatViolations(violations)}`,
    ).toEqual([]);
  });
});
