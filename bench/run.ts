/**
 * `npm run bench` (issue 6): bundle cost, upload overhead against bare XHR, render cost,
 * authorization round trips, time to first byte, scale, and presigned PUT versus POST policy (issue
 * 13), in real Chromium against the local OSS stack on loopback. `npm run bench -- put-vs-post`
 * runs only the named scenario(s) and updates their part of bench/results.json. Prints a table (each figure beside its same-run baseline or target) and writes
 * bench/results.json. Timing figures are ratios or comparisons within one run, because the machine
 * may be shared; nothing here asserts wall-clock times.
 */
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readBundleBudgets } from './checkBundleSize';
import { measureBundleSize, repoRoot } from './bundleSize';
import { runAuthRoundTrips } from './scenarios/authRoundTrips';
import { runPutVersusPost, type PutVersusPostResult, type Spread } from './scenarios/putVersusPost';
import { runRenderCost } from './scenarios/renderCost';
import { combineScaleRuns, runScale, type ScaleResult } from './scenarios/scale';
import { runTimeToFirstByte } from './scenarios/timeToFirstByte';
import { describeCase, runUnthrottled, type UnthrottledResult } from './scenarios/unthrottled';
import { runUploadOverhead } from './scenarios/uploadOverhead';
import { startBenchEnvironment } from './support/harness';
import { formatTable, kb, ms, seconds, verdict, type TableRow } from './support/report';
import { round } from './support/stats';

/** 1.9 MiB: under the policy's 2 MiB content-length-range. */
const FILE_SIZE = 1_992_294;
const MB = 1_000_000;

export const PARAMETERS = {
  overhead: { rounds: 6, files: 20, fileSize: FILE_SIZE, concurrency: 3, uploadCap: 6.5 * MB },
  render: {
    fileSize: FILE_SIZE,
    repetitions: 2,
    cases: [
      { files: 1, uploadCap: 0.65 * MB },
      { files: 10, uploadCap: 6.5 * MB },
    ],
  },
  authorization: { files: 30, fileSize: FILE_SIZE, lifetimeSeconds: 5, uploadCap: 3 * MB, concurrency: 3 },
  timeToFirstByte: { repetitions: 7, authDelayMs: 150, fileSize: FILE_SIZE },
  scale: { repetitions: 2, files: 200, fileSize: 200_000, concurrency: 3, uploadCap: 0.3 * MB, keystrokes: 30, keyIntervalMs: 100 },
  putVersusPost: {
    rounds: 6,
    fileSize: FILE_SIZE,
    concurrency: 3,
    roundTripSamples: 5,
    cases: [
      { files: 3, backendDelayMs: 0, uploadCap: 0 },
      { files: 20, backendDelayMs: 0, uploadCap: 0 },
      { files: 3, backendDelayMs: 0, uploadCap: 6.5 * MB },
      { files: 20, backendDelayMs: 0, uploadCap: 6.5 * MB },
      { files: 3, backendDelayMs: 150, uploadCap: 0 },
      { files: 20, backendDelayMs: 150, uploadCap: 0 },
    ],
  },
  unthrottled: {
    rounds: 7,
    modes: ['post', 'put'] as ('post' | 'put')[],
    roundTripSamples: 3,
    cases: [
      { files: 3, fileSize: FILE_SIZE, concurrency: 3 },
      { files: 100, fileSize: 65_536, concurrency: 3 },
      { files: 100, fileSize: 65_536, concurrency: 6 },
      { files: 40, fileSize: FILE_SIZE, concurrency: 3 },
    ],
  },
};

/** Issue 14's targets for §8. */
const UNTHROTTLED_TARGETS = {
  /** Component / bare batch time: many small files, and large files. */
  smallFilesRatio: 1.1,
  largeFilesRatio: 1.05,
  /** Drop → first send (ms), beyond what the bare page needs for the same (PUT: its own URL round trip). */
  dropToFirstSendMs: 2,
  /** Main-thread time per file in steady state (100 files). */
  cpuPerFileMs: 1,
};

/** Scenarios `npm run bench -- <name>` can run alone (the others share one long run). */
const SELECTABLE = ['put-vs-post', 'unthrottled'] as const;
type SelectableScenario = (typeof SELECTABLE)[number];

/** Measured the same way elsewhere (issue 6), not by this bench. */
export const REFERENCE_BUNDLES = [
  { name: 'react-uploady', gzipKb: 15.0 },
  { name: 'Uppy hooks + xhr-upload', gzipKb: 20.0 },
  { name: 'FilePond', gzipKb: 34.4 },
  { name: 'Uppy Dashboard + aws-s3', gzipKb: 83.1 },
  { name: 'antd Upload.Dragger', gzipKb: 96.2 },
];

const FRAME_MS = 1000 / 60;
const log = (line: string) => console.log(line);
const resultsFile = path.join(repoRoot, 'bench/results.json');

/** §7 rows: per case, PUT and POST medians with their spread, the ratio, and the difference in round trips. */
function putVersusPostRows(result: PutVersusPostResult): TableRow[] {
  const rows: TableRow[] = [];
  const range = (spread: { p25: number; p75: number; min: number; max: number }, unit = ' ms', digits = 0) =>
    `IQR ${spread.p25.toFixed(digits)}–${spread.p75.toFixed(digits)}${unit}, range ${spread.min.toFixed(digits)}–${spread.max.toFixed(digits)}${unit}`;
  for (const item of result.cases) {
    const label = `${item.files} × 1.9 MiB${item.uploadCap > 0 ? `, cap ${item.uploadCap / MB} MB/s` : ''}${item.backendDelayMs > 0 ? `, backend +${item.backendDelayMs} ms` : ''}`;
    const pass = item.differenceMs.median <= item.roundTripMs.median;
    rows.push(
      {
        section: '7 PUT vs POST',
        metric: `${label}: PUT | POST batch, median of ${item.rounds.length}`,
        value: `${ms(item.putMs.median)} | ${ms(item.postMs.median)}`,
        reference: `PUT ${range(item.putMs)}; POST ${range(item.postMs)}`,
        verdict: '',
      },
      {
        section: '7 PUT vs POST',
        metric: `${label}: ratio PUT / POST (per round)`,
        value: item.ratio.median.toFixed(3),
        reference: range(item.ratio, '', 3),
        verdict: '',
      },
      {
        section: '7 PUT vs POST',
        metric: `${label}: PUT − POST (per round) vs one upload-URL round trip`,
        value: `${ms(item.differenceMs.median, 1)} = ${item.differenceInRoundTrips.toFixed(2)} round trips`,
        reference: `target ≤ 1 round trip (${ms(item.roundTripMs.median, 1)}, IQR ${item.roundTripMs.p25.toFixed(1)}–${item.roundTripMs.p75.toFixed(1)} ms); difference ${range(item.differenceMs)}`,
        verdict: verdict(pass),
      },
      {
        section: '7 PUT vs POST',
        metric: `${label}: the component's upload URL calls during the batch`,
        value: `median ${ms(item.inBatchRoundTripMs.median, 1)}`,
        reference: `${range(item.inBatchRoundTripMs)}; idle round trip ${ms(item.roundTripMs.median, 1)}`,
        verdict: '',
      },
    );
  }
  return rows;
}

/** §8 rows: per mode and case, the ratio, the batch times, drop → first send, main-thread time per file, load → next send. */
function unthrottledRows(result: UnthrottledResult): TableRow[] {
  const rows: TableRow[] = [];
  const iqr = (value: { p25: number; p75: number }, digits: number, unit = '') =>
    `IQR ${value.p25.toFixed(digits)}–${value.p75.toFixed(digits)}${unit}`;
  const pair = (value: { component: Spread; bare: Spread }, digits: number) =>
    `${value.component.median.toFixed(digits)} | ${value.bare.median.toFixed(digits)} ms`;
  const T = UNTHROTTLED_TARGETS;
  for (const item of result.cases) {
    const section = `8 ${item.mode.toUpperCase()} no cap`;
    const label = describeCase(item);
    const small = item.fileSize < 1_000_000;
    const ratioTarget = item.files < 10 ? undefined : small ? T.smallFilesRatio : T.largeFilesRatio;
    rows.push({
      section,
      metric: `${label}: component / bare ${item.mode === 'put' ? 'XHR PUT (URL per file)' : 'XHR + FormData'}, median of ${item.rounds.length}`,
      value: `${item.ratio.median.toFixed(3)} (${item.componentMs.median.toFixed(0)} | ${item.bareMs.median.toFixed(0)} ms)`,
      reference: `${ratioTarget === undefined ? 'no target' : `target ≤ ${ratioTarget.toFixed(2)}`}; ratio ${iqr(item.ratio, 3)}, range ${item.ratio.min.toFixed(3)}–${item.ratio.max.toFixed(3)}`,
      verdict: ratioTarget === undefined ? '' : verdict(item.ratio.median <= ratioTarget),
    });
    if (item.files <= 3) {
      const beyond = item.firstSendMs.component.median - item.firstSendMs.bare.median;
      rows.push({
        section,
        metric: `${label}: drop → first XMLHttpRequest.send(), component | bare`,
        value: pair(item.firstSendMs, 2),
        reference: `target ≤ ${item.mode === 'put' ? 'bare + ' : ''}${T.dropToFirstSendMs} ms; component ${iqr(item.firstSendMs.component, 2, ' ms')}`,
        verdict: verdict(item.mode === 'put' ? beyond <= T.dropToFirstSendMs : item.firstSendMs.component.median <= T.dropToFirstSendMs),
      });
    }
    if (item.warmFirstSendMs) {
      rows.push({
        section,
        metric: `${label}: drop → first send, third drop on the same page (code already run), component`,
        value: ms(item.warmFirstSendMs.median, 2),
        reference: `${item.mode === 'put' ? 'includes the upload URL round trip' : `target ≤ ${T.dropToFirstSendMs} ms`}; ${iqr(item.warmFirstSendMs, 2, ' ms')}`,
        verdict: item.mode === 'put' ? '' : verdict(item.warmFirstSendMs.median <= T.dropToFirstSendMs),
      });
    }
    rows.push({
      section,
      metric: `${label}: main-thread CPU per file, drop → done, component | bare`,
      value: pair(item.cpuPerFileMs, 3),
      reference: `${item.files >= 100 ? `target ≤ ${T.cpuPerFileMs} ms; ` : ''}component ${iqr(item.cpuPerFileMs.component, 3, ' ms')}; in tasks ${pair(item.taskPerFileMs, 3)}`,
      verdict: item.files >= 100 ? verdict(item.cpuPerFileMs.component.median <= T.cpuPerFileMs) : '',
    });
    if (item.files > item.concurrency) {
      rows.push({
        section,
        metric: `${label}: a file's load → next send, median, component | bare`,
        value: pair(item.loadToNextSendMs, 2),
        reference: `component ${iqr(item.loadToNextSendMs.component, 2, ' ms')}`,
        verdict: '',
      });
    }
    if (item.roundTripMs) {
      rows.push({
        section,
        metric: `${label}: upload URL round trip, idle`,
        value: ms(item.roundTripMs.median, 1),
        reference: iqr(item.roundTripMs, 1, ' ms'),
        verdict: '',
      });
    }
  }
  return rows;
}

/** Runs the named scenarios alone and replaces their part of bench/results.json (the rest is kept). */
async function runSelected(names: readonly SelectableScenario[]): Promise<void> {
  const startedAt = Date.now();
  const loadBefore = os.loadavg();
  log(`bench (${names.join(', ')} only): ${os.cpus().length} CPUs, load average ${loadBefore.map((value) => value.toFixed(2)).join(' ')}`);
  log('▸ building the bench pages (vite, production) and starting the local stack + Chromium');
  const env = await startBenchEnvironment();
  let putVersusPost: PutVersusPostResult | undefined;
  let unthrottled: UnthrottledResult | undefined;
  let chromiumVersion: string;
  try {
    chromiumVersion = env.browser.context.browser()?.version() ?? 'unknown';
    if (names.includes('put-vs-post')) {
      const p = PARAMETERS.putVersusPost;
      log(`▸ 7. presigned PUT vs POST policy: ${p.cases.length} cases, concurrency ${p.concurrency}, ${p.rounds} alternating rounds each`);
      putVersusPost = await runPutVersusPost(env, p, log);
    }
    if (names.includes('unthrottled')) {
      const u = PARAMETERS.unthrottled;
      log(
        `▸ 8. no bandwidth cap, component vs bare XHR: ${u.cases.length} cases × ${u.modes.join(', ')}, ${u.rounds} alternating rounds each`,
      );
      unthrottled = await runUnthrottled(env, u, log);
    }
  } finally {
    await env.close();
  }
  const rows = [...(putVersusPost ? putVersusPostRows(putVersusPost) : []), ...(unthrottled ? unthrottledRows(unthrottled) : [])];
  const loadAfter = os.loadavg();
  log('');
  log(formatTable(rows));
  log('');
  log(
    `Done in ${seconds(Date.now() - startedAt)}; load average ${loadBefore.map((value) => value.toFixed(2)).join(' ')} → ${loadAfter.map((value) => value.toFixed(2)).join(' ')}.`,
  );

  if (onlyTerms.length > 0) {
    log(`--only ${onlyTerms.join(',')}: ${path.relative(process.cwd(), resultsFile)} not updated (it keeps whole runs only).`);
    return;
  }
  const previous = (await readFile(resultsFile, 'utf8').then(JSON.parse, () => ({}))) as Record<string, unknown> & { table?: TableRow[] };
  const run = {
    generatedAt: new Date(startedAt).toISOString(),
    durationMs: Date.now() - startedAt,
    machine: { cpus: os.cpus().length, loadBefore, loadAfter, node: process.version, chromium: chromiumVersion },
  };
  const replaced = (section: string) =>
    (putVersusPost !== undefined && section.startsWith('7 ')) || (unthrottled !== undefined && section.startsWith('8 '));
  const merged = {
    ...previous,
    ...(putVersusPost ? { putVersusPostRun: run, putVersusPost } : {}),
    ...(unthrottled ? { unthrottledRun: run, unthrottled } : {}),
    parameters: {
      ...(previous.parameters as object | undefined),
      ...(putVersusPost ? { putVersusPost: PARAMETERS.putVersusPost } : {}),
      ...(unthrottled ? { unthrottled: PARAMETERS.unthrottled } : {}),
    },
    table: [...(previous.table ?? []).filter((row) => !replaced(row.section)), ...rows],
  };
  await writeFile(resultsFile, `${JSON.stringify(merged, null, 2)}\n`);
  log(`Updated ${path.relative(process.cwd(), resultsFile)} (${names.join(', ')})`);
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const loadBefore = os.loadavg();
  log(`bench: ${os.cpus().length} CPUs, load average ${loadBefore.map((value) => value.toFixed(2)).join(' ')}`);

  log('▸ 1. bundle cost (rolldown, minified, gzip -9)');
  const [bundle, budgets] = await Promise.all([measureBundleSize(), readBundleBudgets()]);

  log('▸ building the bench pages (vite, production) and starting the local stack + Chromium');
  const env = await startBenchEnvironment();
  let results;
  try {
    const chromiumVersion = env.browser.context.browser()?.version() ?? 'unknown';
    log(
      `▸ 2. upload overhead: ${PARAMETERS.overhead.files} × 1.9 MiB, concurrency ${PARAMETERS.overhead.concurrency}, cap ${PARAMETERS.overhead.uploadCap / MB} MB/s, A/B × ${PARAMETERS.overhead.rounds}`,
    );
    const overhead = await runUploadOverhead(env, PARAMETERS.overhead, log);
    log('▸ 3. render cost (react-dom profiling build)');
    const render = await runRenderCost(env, PARAMETERS.render, log);
    log(`▸ 4. authorization round trips: ${PARAMETERS.authorization.files} files, lifetime ${PARAMETERS.authorization.lifetimeSeconds} s`);
    const authorization = await runAuthRoundTrips(env, PARAMETERS.authorization);
    log(
      `  ${authorization.requests} getOSSTempAuthor calls in ${seconds(authorization.durationMs)}, minimum ${authorization.minimumRequests}, policy expired ${authorization.policyExpired}`,
    );
    log(`▸ 5. time to first byte (bench page adds ${PARAMETERS.timeToFirstByte.authDelayMs} ms to getOSSTempAuthor)`);
    const ttfb = await runTimeToFirstByte(env, PARAMETERS.timeToFirstByte, log);
    log(`▸ 6. scale: ${PARAMETERS.scale.files} files at once, ${PARAMETERS.scale.keystrokes} keys typed idle then while the list updates`);
    const scaleRuns: ScaleResult[] = [];
    const reducedMotionRuns: ScaleResult[] = [];
    // Alternates the normal page and the reduced-motion diagnostic.
    for (let repetition = 1; repetition <= PARAMETERS.scale.repetitions; repetition += 1) {
      const run = await runScale(env, PARAMETERS.scale);
      scaleRuns.push(run);
      log(`  rows ${ms(run.rowsInDomMs)}, typing median ${ms(run.busyTyping.medianMs, 1)} (idle ${ms(run.idleTyping.medianMs, 1)})`);
      const reduced = await runScale(env, { ...PARAMETERS.scale, reducedMotion: true });
      reducedMotionRuns.push(reduced);
      log(
        `  diagnostic, prefers-reduced-motion: typing median ${ms(reduced.busyTyping.medianMs, 1)} (idle ${ms(reduced.idleTyping.medianMs, 1)})`,
      );
    }
    const scale = combineScaleRuns(scaleRuns);
    const scaleReducedMotion = combineScaleRuns(reducedMotionRuns);
    log(`▸ 7. presigned PUT vs POST policy, ${PARAMETERS.putVersusPost.rounds} alternating rounds per case`);
    const putVersusPost = await runPutVersusPost(env, PARAMETERS.putVersusPost, log);
    log(`▸ 8. no bandwidth cap, component vs bare XHR, ${PARAMETERS.unthrottled.rounds} alternating rounds per case`);
    const unthrottled = await runUnthrottled(env, PARAMETERS.unthrottled, log);
    results = { chromiumVersion, overhead, render, authorization, ttfb, scale, scaleRuns, scaleReducedMotion, putVersusPost, unthrottled };
  } finally {
    await env.close();
  }
  const { overhead, render, authorization, ttfb, scale, scaleRuns, scaleReducedMotion, putVersusPost, unthrottled } = results;

  const rows: TableRow[] = [];
  const add = (section: string, metric: string, value: string, reference: string, pass?: boolean) =>
    rows.push({ section, metric, value, reference, verdict: pass === undefined ? '' : verdict(pass) });

  // 1. Bundle
  const dropzoneCost = bundle.withDropzone.gzip - bundle.own.gzip;
  add(
    '1 bundle',
    '(a) own code, min+gz (all deps external)',
    `${kb(bundle.own.gzip)} (${kb(bundle.own.minified, 1)} min)`,
    `target ≤ 6 KB · budget ${kb(budgets.own.budgetBytes, 1)}`,
    bundle.own.gzip <= budgets.own.targetBytes,
  );
  add(
    '1 bundle',
    '(b) own + react-dropzone, min+gz',
    `${kb(bundle.withDropzone.gzip)} (${kb(bundle.withDropzone.minified, 1)} min)`,
    `target ≤ 12 KB · budget ${kb(budgets.withDropzone.budgetBytes, 1)}`,
    bundle.withDropzone.gzip <= budgets.withDropzone.targetBytes,
  );
  add('1 bundle', '(c) styles.css gzip', `${kb(bundle.css.gzip)} (${kb(bundle.css.raw)} raw)`, 'no target');
  add('1 bundle', 'react-dropzone + deps, (b) − (a)', kb(dropzoneCost), 'no target');
  add(
    '1 bundle',
    'reference, measured elsewhere (not here)',
    REFERENCE_BUNDLES.map((item) => `${item.name} ${item.gzipKb.toFixed(1)}`).join(' · ') + ' KB',
    '(b) compares to these',
  );

  // 2. Overhead
  const o = PARAMETERS.overhead;
  add(
    '2 overhead',
    `median ratio component / bare XHR (${overhead.rounds.length} A/B rounds)`,
    overhead.medianRatio.toFixed(3),
    'target ≤ 1.05',
    overhead.medianRatio <= 1.05,
  );
  add(
    '2 overhead',
    'median batch time component | bare XHR',
    `${seconds(overhead.medianComponentMs)} | ${seconds(overhead.medianRawMs)}`,
    `${o.files} × 1.9 MiB, conc ${o.concurrency}, cap ${o.uploadCap / MB} MB/s`,
  );
  add(
    '2 overhead',
    'rounds, component/bare s (ratio)',
    overhead.rounds
      .map(
        (item) => `${(item.component.durationMs / 1000).toFixed(2)}/${(item.raw.durationMs / 1000).toFixed(2)} (${item.ratio.toFixed(3)})`,
      )
      .join(' '),
    'A then B each round',
  );
  add(
    '2 overhead',
    'last file stored → page sees done, median',
    `${ms(overhead.medianTailComponentMs, 1)} component`,
    `bare XHR ${ms(overhead.medianTailRawMs, 1)}`,
  );

  // 3. Render
  const maxRawLongTasks = Math.max(...render.rawBaseline.map((item) => item.longTasks));
  for (const item of PARAMETERS.render.cases) {
    const run = render.byFiles[String(item.files)];
    if (!run) continue;
    const label = item.files === 1 ? '1 file' : `${item.files} files at once`;
    add(
      '3 render',
      `commits/s while ${label} upload (peak 1 s)`,
      `${run.commitsPerSecond}/s (peak ${run.peakCommitsPerSecond}/s)`,
      `target ≤ 60/s · cap ${item.uploadCap / MB} MB/s`,
      run.peakCommitsPerSecond <= 60,
    );
    add(
      '3 render',
      `commit time while ${label} upload`,
      `${ms(run.totalCommitMs, 1)} in ${seconds(run.durationMs)} (${run.commits} commits, max ${ms(run.maxCommitMs, 1)})`,
      'no target',
    );
  }
  const longTasks = Math.max(...render.runs.map((run) => run.longTasks));
  const longest = Math.max(...render.runs.map((run) => run.longestTaskMs));
  add(
    '3 render',
    'long tasks > 50 ms during upload (worst run)',
    `${longTasks}${longTasks > 0 ? ` (longest ${ms(longest)}; start+length from the drop: ${render.runs.flatMap((run) => run.longTaskSpans).join(', ')} ms)` : ''}`,
    `target 0 · bare-XHR page, same upload: ${maxRawLongTasks}`,
    longTasks === 0,
  );

  // 4. Authorization
  const a = authorization;
  add(
    '4 authorization',
    `getOSSTempAuthor calls, ${a.options.files} files, ${a.options.lifetimeSeconds} s lifetime`,
    `${a.requests} (mount prefetch + ${a.requestsAfterDrop}) in ${seconds(a.durationMs)}`,
    `minimum ⌈${seconds(a.durationMs)} / ${seconds(a.usableLifetimeMs)}⌉ = ${a.minimumRequests}`,
    a.requests <= a.minimumRequests && a.overlapping === 0,
  );
  add('4 authorization', '"Policy expired" answers', String(a.policyExpired), 'target 0', a.policyExpired === 0);
  add(
    '4 authorization',
    'overlapping (duplicate) calls | other failed uploads',
    `${a.overlapping} | ${a.failedRequests - a.policyExpired}`,
    'target 0',
    a.overlapping === 0,
  );
  add('4 authorization', 'seconds between calls', a.intervalsSeconds.join(' '), `usable lifetime ${seconds(a.usableLifetimeMs)}`);

  // 5. TTFB
  add(
    '5 first byte',
    'warm (mount prefetch finished), median',
    ms(ttfb.median.warm, 1),
    `bare XHR, auth in hand: ${ms(ttfb.median.raw, 1)}`,
  );
  add(
    '5 first byte',
    'drop → XMLHttpRequest.send(), median, warm',
    ms(ttfb.medianToSend.warm, 1),
    `bare XHR: ${ms(ttfb.medianToSend.raw, 1)}`,
  );
  add(
    '5 first byte',
    'cold, median: mounted `disabled` (no prefetch), enabled by flushSync right before the change event',
    `${ms(ttfb.median.cold, 1)} (send after ${ms(ttfb.medianToSend.cold, 1)})`,
    `warm + 1 getOSSTempAuthor round trip incl. ${ttfb.authDelayMs} ms bench-added delay; its fetch starts ${ms(ttfb.medianColdEnableMs, 1)} before t0`,
  );
  add(
    '5 first byte',
    'auth round trips before first byte, warm | cold',
    `${ttfb.warmAuthorizationCallsOnPath} | ${ttfb.coldAuthorizationCallsOnPath}`,
    'target warm 0',
    ttfb.warmAuthorizationCallsOnPath === 0,
  );

  // 6. Scale
  const s = scale;
  add(
    '6 scale',
    `${s.options.files} rows in the DOM | next frame (median of ${s.runs})`,
    `${ms(s.rowsInDomMs)} | ${ms(s.rowsPaintedMs)}`,
    'from the change event; no target',
  );
  add(
    '6 scale',
    'JS heap after GC, before → after',
    `${(s.heapBeforeBytes / MB).toFixed(2)} → ${(s.heapAfterBytes / MB).toFixed(2)} MB`,
    `${kb(s.heapPerFileBytes, 1)} per file`,
  );
  add(
    '6 scale',
    `keydown → next frame while the list updates (${s.busyTyping.samples} keys)`,
    `median ${ms(s.busyTyping.medianMs, 1)}, p95 ${ms(s.busyTyping.p95Ms, 1)}`,
    `target median < 16.7 ms · same page before the drop: ${ms(s.idleTyping.medianMs, 1)}, p95 ${ms(s.idleTyping.p95Ms, 1)}`,
    s.busyTyping.medianMs < FRAME_MS,
  );
  const t = s.busyTyping.mainThreadMsPerSecond;
  const i = s.idleTyping.mainThreadMsPerSecond;
  add(
    '6 scale',
    'main thread ms/s while typing: task (layout, style, script)',
    `${t.task} (${t.layout}, ${t.style}, ${t.script}); ${s.busyTyping.layoutsPerSecond} layouts/s`,
    `idle: ${i.task} (${i.layout}, ${i.style}, ${i.script}); ${s.idleTyping.layoutsPerSecond} layouts/s`,
  );
  add(
    '6 scale',
    `long tasks > 50 ms, drop → end of typing (${s.runs} runs)`,
    `${s.longTasks}${s.longTasks > 0 ? ` (longest ${ms(s.longestTaskMs)})` : ''}`,
    'no target',
  );
  add(
    '6 scale',
    'diagnostic: same, prefers-reduced-motion (no bar transition)',
    `median ${ms(scaleReducedMotion.busyTyping.medianMs, 1)}, p95 ${ms(scaleReducedMotion.busyTyping.p95Ms, 1)}; ${scaleReducedMotion.busyTyping.layoutsPerSecond} layouts/s`,
    `same page before the drop: ${ms(scaleReducedMotion.idleTyping.medianMs, 1)}`,
  );

  // 7. PUT vs POST
  rows.push(...putVersusPostRows(putVersusPost));

  // 8. No bandwidth cap
  rows.push(...unthrottledRows(unthrottled));

  const table = formatTable(rows);
  const moduleTable = formatTable(
    bundle.modules.slice(0, 14).map((item) => ({
      section: 'module',
      metric: item.module,
      value: item.aloneGzip === null ? 'dependency' : `${kb(item.aloneGzip)} alone`,
      reference: `${round(item.share * 100, 1)} % of (b) before minify`,
      verdict: '',
    })),
  );
  const loadAfter = os.loadavg();
  log('');
  log(table);
  log('');
  log('Biggest contributors to (b): each src module minified+gzip alone (its imports external), and its share of the tree-shaken bundle');
  log(moduleTable);
  log('');
  log(
    `Done in ${seconds(Date.now() - startedAt)}; load average ${loadBefore.map((value) => value.toFixed(2)).join(' ')} → ${loadAfter.map((value) => value.toFixed(2)).join(' ')}.`,
  );

  await writeFile(
    resultsFile,
    `${JSON.stringify(
      {
        generatedAt: new Date(startedAt).toISOString(),
        durationMs: Date.now() - startedAt,
        machine: { cpus: os.cpus().length, loadBefore, loadAfter, node: process.version, chromium: results.chromiumVersion },
        parameters: PARAMETERS,
        referenceBundles: REFERENCE_BUNDLES,
        bundle: { ...bundle, budgets },
        overhead,
        render,
        authorization,
        timeToFirstByte: ttfb,
        scale,
        scaleRuns,
        scaleReducedMotion,
        putVersusPost,
        unthrottled,
        table: rows,
      },
      null,
      2,
    )}\n`,
  );
  log(`Wrote ${path.relative(process.cwd(), resultsFile)}`);
}

const selected = process.argv.slice(2).filter((argument) => !argument.startsWith('-'));
// `--rounds=N`: fewer (or more) A/B rounds for the §8 scenario, e.g. a quick look while working on it.
const roundsFlag = process.argv.find((argument) => argument.startsWith('--rounds='));
if (roundsFlag) PARAMETERS.unthrottled.rounds = Math.max(1, Number(roundsFlag.slice('--rounds='.length)) || PARAMETERS.unthrottled.rounds);
// `--only=post,100x65536c3`: §8 limited to those modes and cases, for a quick look while working on one
// figure; the table is printed and bench/results.json is left as it is (it keeps whole runs only).
const onlyFlag = process.argv.find((argument) => argument.startsWith('--only='));
const onlyTerms = onlyFlag ? onlyFlag.slice('--only='.length).split(',').filter(Boolean) : [];
if (onlyTerms.length > 0) {
  const u = PARAMETERS.unthrottled;
  const caseName = (item: { files: number; fileSize: number; concurrency: number }) => `${item.files}x${item.fileSize}c${item.concurrency}`;
  const known = ['post', 'put', ...u.cases.map(caseName)];
  const stray = onlyTerms.filter((term) => !known.includes(term));
  if (stray.length > 0) {
    console.error(`--only: unknown ${stray.join(', ')}; name modes (post, put) and/or cases (${u.cases.map(caseName).join(', ')}).`);
    process.exit(2);
  }
  const modes = u.modes.filter((mode) => onlyTerms.includes(mode));
  const cases = u.cases.filter((item) => onlyTerms.includes(caseName(item)));
  if (modes.length > 0) u.modes = modes;
  if (cases.length > 0) u.cases = cases;
}
const unknown = selected.filter((name) => !(SELECTABLE as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(
    `Unknown bench scenario ${unknown.map((name) => `"${name}"`).join(', ')}; runnable alone: ${SELECTABLE.join(', ')} (no argument runs everything).`,
  );
  process.exitCode = 2;
} else if (selected.length > 0) {
  await runSelected(selected as SelectableScenario[]);
} else {
  await main();
}
