/**
 * CPU time of every Chromium process and of this Node process (the emulator runs in it), read from
 * Linux's /proc: on 2 cores a batch's wall time depends on all of them, not only on the page's main
 * thread. Chromium's processes are grouped by their `--type=` (renderer, gpu-process, utility = the
 * network service, none = the browser process); the renderer also by thread (main, Compositor, the
 * thread pool's raster and other workers, Chrome_ChildIOThread for IPC, …). Resolution: the kernel's clock tick (10 ms), so it is read around a
 * whole batch, never around one request.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Milliseconds of CPU (user + system) by group name. */
export type CpuByGroup = Record<string, number>;

const TICK_MS = 10; // USER_HZ is 100 on Linux.

function readTicks(statPath: string): number {
  // The command name in parentheses may hold spaces: split after its closing parenthesis.
  const stat = readFileSync(statPath, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
  return Number(fields[11]) + Number(fields[12]);
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The group a renderer thread counts in: its main thread, its compositor, its thread pool (raster and other workers), the rest. */
function rendererThreadGroup(thread: string): string {
  if (thread === 'main') return 'main';
  if (thread === 'Compositor') return 'compositor';
  return thread.startsWith('ThreadPool') ? 'renderer pool' : 'renderer other';
}

/** The group another Chromium process counts in, by its `--type=`: the utility process is the network service here. */
function processGroup(type: string): string {
  if (type === 'utility') return 'network';
  return type === 'gpu-process' ? 'gpu' : type;
}

/**
 * Chromium's CPU by process type and the renderer's by thread group, plus this process (`emulator`):
 * main, compositor, renderer pool, renderer other, browser, gpu, network, emulator.
 */
export function readProcessCpu(): CpuByGroup {
  const groups: CpuByGroup = {};
  const add = (name: string, ticks: number) => {
    groups[name] = (groups[name] ?? 0) + ticks * TICK_MS;
  };
  const own = process.cpuUsage();
  groups.emulator = (own.user + own.system) / 1000;
  if (process.platform !== 'linux') return groups;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const cmdline = readText(`/proc/${pid}/cmdline`);
    if (!cmdline?.includes('chromium')) continue;
    const type = /--type=([a-z-]+)/.exec(cmdline)?.[1] ?? 'browser';
    try {
      if (type !== 'renderer') {
        add(processGroup(type), readTicks(`/proc/${pid}/stat`));
        continue;
      }
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        // The main thread keeps the process's name (`chromium`); the others are named after their role.
        const thread = tid === pid ? 'main' : (readText(`/proc/${pid}/task/${tid}/comm`) ?? '?').trim();
        add(rendererThreadGroup(thread), readTicks(`/proc/${pid}/task/${tid}/stat`));
      }
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return groups;
}

/** `after − before` per group, dropping groups that did not move. */
export function diffProcessCpu(before: CpuByGroup, after: CpuByGroup): CpuByGroup {
  const diff: CpuByGroup = {};
  for (const [name, value] of Object.entries(after)) {
    const delta = value - (before[name] ?? 0);
    if (delta > 0) diff[name] = Math.round(delta);
  }
  return diff;
}
