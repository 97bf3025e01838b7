/**
 * §3 Render cost: React <Profiler> around the uploader (react-dom production profiling build),
 * commits per second and commit time while 1 and while 10 files upload at once, plus main-thread
 * long tasks (PerformanceObserver `longtask`) during the upload.
 */
import type { DropMark, PageStats } from '../pages/benchApi';
import type { BenchEnvironment } from '../support/harness';
import { median, round, sum } from '../support/stats';

export interface RenderCase {
  files: number;
  /** Chromium-side cap chosen so the batch lasts a few seconds. */
  uploadCap: number;
}

export interface RenderRun {
  files: number;
  durationMs: number;
  commits: number;
  commitsPerSecond: number;
  /** Most commits in any 1-second window of the upload. */
  peakCommitsPerSecond: number;
  totalCommitMs: number;
  maxCommitMs: number;
  longTasks: number;
  longestTaskMs: number;
  /** Each long task as "start relative to the drop + duration" (ms), to place it. */
  longTaskSpans: string[];
}

export interface RawLongTaskRun {
  files: number;
  durationMs: number;
  longTasks: number;
  longestTaskMs: number;
}

export interface RenderResult {
  fileSize: number;
  cases: RenderCase[];
  runs: RenderRun[];
  /** Median of the runs, per file count. */
  byFiles: Record<string, RenderRun>;
  /** Baseline: long tasks on the bare-XHR page uploading the largest case, same cap, same run. */
  rawBaseline: RawLongTaskRun[];
}

function analyse(files: number, mark: DropMark, doneAt: number, stats: PageStats): RenderRun {
  const inWindow = stats.commits.filter((commit) => commit.commitTime >= mark.t0 && commit.commitTime <= doneAt);
  const durationMs = doneAt - mark.t0;
  let peak = 0;
  for (const commit of inWindow) {
    const within = inWindow.filter((other) => other.commitTime >= commit.commitTime && other.commitTime < commit.commitTime + 1000).length;
    peak = Math.max(peak, within);
  }
  const longTasks = stats.longTasks.filter(
    (task) => task.startTime + task.duration >= mark.t0 && task.startTime <= doneAt && task.duration > 50,
  );
  const durations = inWindow.map((commit) => commit.actualDuration);
  return {
    files,
    durationMs: round(durationMs),
    commits: inWindow.length,
    commitsPerSecond: round(inWindow.length / (durationMs / 1000), 1),
    peakCommitsPerSecond: durationMs >= 1000 ? peak : inWindow.length,
    totalCommitMs: round(sum(durations), 1),
    maxCommitMs: round(Math.max(0, ...durations), 2),
    longTasks: longTasks.length,
    longestTaskMs: round(Math.max(0, ...longTasks.map((task) => task.duration))),
    longTaskSpans: longTasks.map((task) => `${round(task.startTime - mark.t0)}+${round(task.duration)}`),
  };
}

async function runCase(env: BenchEnvironment, fileSize: number, item: RenderCase): Promise<RenderRun> {
  await env.resetEmulator();
  // Every file of the case uploads at once: concurrency = file count.
  const bench = await env.openPage('uploader-profiling.html', { maxFiles: item.files, concurrency: item.files });
  try {
    await bench.throttleUpload(item.uploadCap);
    await bench.prepareAuthorizedFiles(item.files, fileSize);
    const { mark, doneAt, stats } = await bench.page.evaluate(async (files) => {
      const api = window.uploaderBench!;
      const dropped = api.drop();
      const done = await api.waitForPaths(files);
      return { mark: dropped, doneAt: done, stats: api.stats() };
    }, item.files);
    return analyse(item.files, mark, doneAt, stats);
  } finally {
    await bench.close();
  }
}

/** The same upload from the bare-XHR page: long tasks there come from the machine, not the library. */
async function runRawBaseline(env: BenchEnvironment, fileSize: number, item: RenderCase): Promise<RawLongTaskRun> {
  await env.resetEmulator();
  const bench = await env.openPage('raw.html');
  try {
    await bench.throttleUpload(item.uploadCap);
    await bench.page.evaluate(
      async ({ files, size }) => {
        await window.rawBench!.ready();
        window.rawBench!.prepareFiles(files, size);
      },
      { files: item.files, size: fileSize },
    );
    const { result, longTasks } = await bench.page.evaluate(
      async (files) => ({ result: await window.rawBench!.upload(files), longTasks: window.rawBench!.longTasks() }),
      item.files,
    );
    const inWindow = longTasks.filter(
      (task) => task.startTime + task.duration >= result.t0 && task.startTime <= result.t1 && task.duration > 50,
    );
    return {
      files: item.files,
      durationMs: round(result.t1 - result.t0),
      longTasks: inWindow.length,
      longestTaskMs: round(Math.max(0, ...inWindow.map((task) => task.duration))),
    };
  } finally {
    await bench.close();
  }
}

const medianRun = (runs: RenderRun[]): RenderRun => {
  const pick = (key: Exclude<keyof RenderRun, 'longTaskSpans'>) => median(runs.map((run) => run[key]));
  return {
    files: runs[0]?.files ?? 0,
    durationMs: round(pick('durationMs')),
    commits: round(pick('commits')),
    commitsPerSecond: round(pick('commitsPerSecond'), 1),
    peakCommitsPerSecond: round(pick('peakCommitsPerSecond')),
    totalCommitMs: round(pick('totalCommitMs'), 1),
    maxCommitMs: round(pick('maxCommitMs'), 2),
    longTasks: Math.max(...runs.map((run) => run.longTasks)),
    longestTaskMs: Math.max(...runs.map((run) => run.longestTaskMs)),
    longTaskSpans: runs.flatMap((run) => run.longTaskSpans),
  };
};

export async function runRenderCost(
  env: BenchEnvironment,
  options: { fileSize: number; cases: RenderCase[]; repetitions: number },
  log: (line: string) => void,
): Promise<RenderResult> {
  const runs: RenderRun[] = [];
  const rawBaseline: RawLongTaskRun[] = [];
  const largest = options.cases.reduce((a, b) => (b.files > a.files ? b : a));
  // Alternate the cases (1, 10, raw 10, 1, 10, raw 10, …) so background load hits all alike.
  for (let repetition = 1; repetition <= options.repetitions; repetition += 1) {
    for (const item of options.cases) {
      const run = await runCase(env, options.fileSize, item);
      runs.push(run);
      log(
        `  ${item.files} file(s) at once: ${run.commits} commits in ${(run.durationMs / 1000).toFixed(2)} s = ${run.commitsPerSecond}/s ` +
          `(peak ${run.peakCommitsPerSecond}/s), commit time ${run.totalCommitMs} ms, long tasks ${run.longTasks}${run.longTasks > 0 ? ` (at ${run.longTaskSpans.join(', ')} ms from the drop)` : ''}`,
      );
    }
    const raw = await runRawBaseline(env, options.fileSize, largest);
    rawBaseline.push(raw);
    log(`  baseline bare XHR, ${raw.files} files at once: long tasks ${raw.longTasks} (longest ${raw.longestTaskMs} ms)`);
  }
  const byFiles: Record<string, RenderRun> = {};
  for (const item of options.cases) byFiles[String(item.files)] = medianRun(runs.filter((run) => run.files === item.files));
  return { fileSize: options.fileSize, cases: options.cases, runs, byFiles, rawBaseline };
}
