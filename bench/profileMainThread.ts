/**
 * Diagnosis for §8 (issue 14), not a figure: where the component's main-thread time goes. Builds the
 * bench pages UNMINIFIED (readable function names; React stays its production build), uploads one
 * batch with no bandwidth cap under the CDP sampling Profiler, and prints the functions with the most
 * self time and the most total time, plus what the drop task alone costs (drop → first send).
 *
 *   node --import tsx bench/profileMainThread.ts [files=100] [fileSize=65536] [concurrency=3] [mode=post|put] [page=uploader|raw]
 */
import type { DropMark, RawUploadResult } from './pages/benchApi';
import { startBenchEnvironment } from './support/harness';

const [files = 100, fileSize = 65_536, concurrency = 3] = process.argv.slice(2, 5).map(Number);
const mode: 'post' | 'put' = process.argv[5] === 'put' ? 'put' : 'post';
const pageName = process.argv[6] === 'raw' ? 'raw' : 'uploader';
const untilFirstSend = process.argv[7] === 'drop';
/** `TRACE=1`: also record a Chromium trace and sum the renderer main thread's events by name (paint, layout, …). */
const traceTimeline = process.env.TRACE === '1';

/** The parts of a CDP `Profiler.Profile` read here. */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

interface Aggregate {
  self: number;
  total: number;
}

/** Self and total (inclusive, counted once per stack) time per function, from the samples. */
function aggregate(profile: Profile): Map<string, Aggregate> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const label = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.slice(url.lastIndexOf('/') + 1);
    return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
  };
  const result = new Map<string, Aggregate>();
  const entry = (key: string) => {
    let value = result.get(key);
    if (!value) result.set(key, (value = { self: 0, total: 0 }));
    return value;
  };
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const stackOf = (id: number): string[] => {
    const names: string[] = [];
    for (let node = byId.get(id); node; node = byId.get(parent.get(node.id) ?? -1)) names.push(node.callFrame.functionName);
    return names;
  };
  // `drop`: only the samples before the page's first XMLHttpRequest.send() (the bench's `recordSend` wrapper).
  const end = untilFirstSend ? samples.findIndex((id) => stackOf(id).includes('recordSend')) : -1;
  if (end >= 0) samples.length = end;
  for (let index = 0; index < samples.length; index += 1) {
    const weight = (deltas[index + 1] ?? 0) / 1000;
    let node = byId.get(samples[index] as number);
    if (!node) continue;
    entry(label(node)).self += weight;
    const seen = new Set<string>();
    while (node) {
      const key = label(node);
      if (!seen.has(key)) {
        seen.add(key);
        entry(key).total += weight;
      }
      const up = parent.get(node.id);
      node = up === undefined ? undefined : byId.get(up);
    }
  }
  return result;
}

function print(title: string, profile: Profile, top = Number(process.env.TOP ?? 25)): void {
  const rows = [...aggregate(profile).entries()];
  const idle = rows.find(([key]) => key.startsWith('(idle)'))?.[1].self ?? 0;
  const busy = rows.reduce((sum, [key, value]) => (key.startsWith('(idle)') ? sum : sum + value.self), 0);
  console.log(`\n${title}: ${busy.toFixed(1)} ms busy, ${idle.toFixed(1)} ms idle`);
  console.log('  self ms   function');
  for (const [key, value] of rows.sort((a, b) => b[1].self - a[1].self).slice(0, top)) {
    console.log(`  ${value.self.toFixed(1).padStart(7)}   ${key}`);
  }
  console.log('  total ms  function');
  for (const [key, value] of rows
    .filter(([key]) => !key.startsWith('(root)') && !key.startsWith('(idle)') && !key.startsWith('(program)'))
    .sort((a, b) => b[1].total - a[1].total)
    .slice(0, top)) {
    console.log(`  ${value.total.toFixed(1).padStart(7)}   ${key}`);
  }
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  args?: { name?: string };
}

type CdpSession = Awaited<ReturnType<Awaited<ReturnType<typeof startBenchEnvironment>>['openPage']>>['cdp'];

async function startTimelineTrace(cdp: CdpSession): Promise<void> {
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc', 'v8'] },
    transferMode: 'ReportEvents',
  });
}

async function stopTimelineTrace(cdp: CdpSession): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  const collect = (data: { value: object[] }) => {
    events.push(...(data.value as TraceEvent[]));
  };
  cdp.on('Tracing.dataCollected', collect);
  const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.end');
  await complete;
  cdp.off('Tracing.dataCollected', collect);
  return events;
}

/** Wall time of the renderer main thread's complete events, by name (nested events are counted in their parents too). */
function printTimeline(events: TraceEvent[]): void {
  const main = events.find((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain');
  if (!main) return;
  const byName = new Map<string, { ms: number; count: number }>();
  for (const event of events) {
    if (event.pid !== main.pid || event.tid !== main.tid || event.ph !== 'X' || event.dur === undefined) continue;
    const entry = byName.get(event.name) ?? { ms: 0, count: 0 };
    entry.ms += event.dur / 1000;
    entry.count += 1;
    byName.set(event.name, entry);
  }
  console.log('\nrenderer main thread, trace events (ms, count; nested events count in their parents too):');
  for (const [name, { ms, count }] of [...byName].sort((a, b) => b[1].ms - a[1].ms).slice(0, 30)) {
    console.log(`  ${ms.toFixed(1).padStart(7)}  ${String(count).padStart(5)}  ${name}`);
  }
}

const env = await startBenchEnvironment({ minify: false });
try {
  for (const warm of [true, false]) {
    await env.resetEmulator();
    const bench =
      pageName === 'raw' ? await env.openPage('raw.html') : await env.openPage('uploader.html', { mode, maxFiles: files, concurrency });
    try {
      if (pageName === 'raw') {
        await bench.page.evaluate(
          async ({ count, size }) => {
            await window.rawBench!.ready();
            window.rawBench!.prepareFiles(count, size);
          },
          { count: files, size: fileSize },
        );
      } else {
        await bench.prepareAuthorizedFiles(files, fileSize);
      }
      await bench.cdp.send('Performance.enable');
      const metric = async () =>
        Object.fromEntries((await bench.cdp.send('Performance.getMetrics')).metrics.map((item) => [item.name, item.value * 1000]));
      await bench.cdp.send('Profiler.enable');
      await bench.cdp.send('Profiler.setSamplingInterval', { interval: 50 });
      await bench.cdp.send('Profiler.start');
      if (traceTimeline) await startTimelineTrace(bench.cdp);
      const before = await metric();
      const outcome =
        pageName === 'raw'
          ? await bench.page.evaluate(
              async ({ conc, m }) => {
                const result: RawUploadResult = await window.rawBench!.upload(conc, m);
                return { durationMs: result.t1 - result.t0, firstSendMs: (result.xhrSends[0] ?? NaN) - result.t0 };
              },
              { conc: concurrency, m: mode },
            )
          : await bench.page.evaluate(
              async ({ count, untilFirstSend }) => {
                const api = window.uploaderBench!;
                const mark: DropMark = api.drop();
                const { xhrSends } = api.stats();
                // `drop`: stop at the first send (every task before it is on the path to the first byte).
                if (untilFirstSend) while (!xhrSends.some((at) => at >= mark.t0)) await new Promise((resolve) => setTimeout(resolve, 0));
                const done = untilFirstSend ? performance.now() : await api.waitForPaths(count);
                return { durationMs: done - mark.t0, firstSendMs: (xhrSends.find((at) => at >= mark.t0) ?? NaN) - mark.t0 };
              },
              { count: files, untilFirstSend },
            );
      const after = await metric();
      const { profile } = (await bench.cdp.send('Profiler.stop')) as { profile: Profile };
      const timeline = traceTimeline ? await stopTimelineTrace(bench.cdp) : null;
      if (warm) continue;
      console.log(
        `${pageName} ${mode}, ${files} × ${fileSize} B, concurrency ${concurrency}: batch ${outcome.durationMs.toFixed(0)} ms, drop → first send ${outcome.firstSendMs.toFixed(2)} ms`,
      );
      const delta = (name: string) => ((after[name] ?? 0) - (before[name] ?? 0)).toFixed(1);
      console.log(
        `main thread (CDP Performance, ms): ThreadTime ${delta('ThreadTime')}, TaskDuration ${delta('TaskDuration')}, ScriptDuration ${delta('ScriptDuration')}, ` +
          `LayoutDuration ${delta('LayoutDuration')} (${((after.LayoutCount ?? 0) - (before.LayoutCount ?? 0)) / 1000} layouts), RecalcStyleDuration ${delta('RecalcStyleDuration')} ` +
          `(${((after.RecalcStyleCount ?? 0) - (before.RecalcStyleCount ?? 0)) / 1000}), TaskOtherDuration ${delta('TaskOtherDuration')}`,
      );
      print(untilFirstSend ? 'drop → first send' : 'whole batch', profile);
      if (timeline) printTimeline(timeline);
    } finally {
      await bench.close();
    }
  }
} finally {
  await env.close();
}
