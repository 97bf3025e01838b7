// Benchmark (not a test) for issue 3: 100 × 2 MB V1 PostObject uploads over loopback at
// concurrency 4 against the OSS emulator, next to a trivial Node server that only drains the same
// bodies. Each server runs in its own process so its RSS is its own; memory must stay flat
// (streaming to disk, never buffering a body).
//
//   node --import tsx bench/emulatorThroughput.ts      (npm run bench:emulator)
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from '../server/oss-emulator/ossEmulator';
import { createOssTempAuthorization } from '../server/signer/ossPostPolicySigner';

const UPLOADS = 100;
const FILE_BYTES = 2 * 1024 * 1024;
const CONCURRENCY = 4;
const SAMPLE_EVERY_MS = 10;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// The baseline: accept any POST, read and discard the body, answer 204.
const DRAIN_SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => { res.writeHead(204); res.end(); });
});
server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

interface RunResult {
  seconds: number;
  mbPerSecond: number;
  idleRssMb: number;
  peakRssMb: number;
  kernelPeakRssMb: number | undefined;
  latenciesMs: number[];
}

function startProcess(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match !== null) resolve({ child, url: match[1] as string });
    });
    child.once('exit', (code) => reject(new Error(`server exited early (${String(code)}):\n${output}`)));
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Resident set size of a process in MB, from /proc (Linux); VmHWM is the kernel's own peak. */
function readRssMb(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
    return match === null ? undefined : Number(match[1]) / 1024;
  } catch {
    return undefined;
  }
}

/** One multipart body, encoded by Node's own FormData serialiser, V1-signed like getOSSTempAuthor. */
async function buildBody(
  key: string,
  policy: string,
  signature: string,
  file: Uint8Array<ArrayBuffer>,
): Promise<{ body: Buffer; contentType: string }> {
  const form = new FormData();
  form.append('key', key);
  form.append('policy', policy);
  form.append('OSSAccessKeyId', DEFAULT_ACCESS_KEY_ID);
  form.append('Signature', signature);
  form.append('success_action_status', '204');
  form.append('file', new Blob([file], { type: 'application/octet-stream' }), 'payload.bin');
  const response = new Response(form);
  return { body: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type') ?? '' };
}

function post(url: string, agent: Agent, body: Buffer, contentType: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/`,
      { method: 'POST', agent, headers: { 'content-type': contentType, 'content-length': body.length } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function run(url: string, pid: number, bodies: Array<{ body: Buffer; contentType: string }>): Promise<RunResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const idleRssMb = readRssMb(pid, 'VmRSS') ?? Number.NaN;
  let peakRssMb = idleRssMb;
  const sampler = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, readRssMb(pid, 'VmRSS') ?? 0);
  }, SAMPLE_EVERY_MS);
  const latenciesMs: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < bodies.length) {
      const item = bodies[next++];
      if (item === undefined) return;
      const sentAt = performance.now();
      const status = await post(url, agent, item.body, item.contentType);
      if (status !== 204) throw new Error(`upload answered ${status}`);
      latenciesMs.push(performance.now() - sentAt);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  agent.destroy();
  peakRssMb = Math.max(peakRssMb, readRssMb(pid, 'VmRSS') ?? 0);
  return {
    seconds,
    mbPerSecond: (UPLOADS * FILE_BYTES) / (1024 * 1024) / seconds,
    idleRssMb,
    peakRssMb,
    kernelPeakRssMb: readRssMb(pid, 'VmHWM'),
    latenciesMs: latenciesMs.sort((a, b) => a - b),
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function describe(name: string, result: RunResult): string {
  const peak = result.kernelPeakRssMb === undefined ? '' : `, kernel VmHWM ${result.kernelPeakRssMb.toFixed(1)} MB`;
  return (
    `${name.padEnd(16)} ${result.mbPerSecond.toFixed(1).padStart(7)} MB/s  (${result.seconds.toFixed(2)} s)  ` +
    `upload p50 ${percentile(result.latenciesMs, 50).toFixed(1)} ms, p95 ${percentile(result.latenciesMs, 95).toFixed(1)} ms  ` +
    `RSS idle ${result.idleRssMb.toFixed(1)} MB → peak ${result.peakRssMb.toFixed(1)} MB (sampled every ${SAMPLE_EVERY_MS} ms${peak})`
  );
}

const dataDir = await mkdtemp(path.join(tmpdir(), 'oss-bench-'));
const file = new Uint8Array(randomBytes(FILE_BYTES));
const auth = createOssTempAuthorization({
  accessKeyId: DEFAULT_ACCESS_KEY_ID,
  accessKeySecret: DEFAULT_ACCESS_KEY_SECRET,
  host: 'unused',
  lifetimeSeconds: 3600,
});
const bodies = await Promise.all(
  Array.from({ length: UPLOADS }, (_, index) => buildBody(`${auth.dir}file-${index}.bin`, auth.policy, auth.signature, file)),
);

const emulator = await startProcess(['--import', 'tsx', 'server/local-stack/ossCli.ts', '--port', '0', '--data-dir', dataDir]);
const drain = await startProcess(['-e', DRAIN_SERVER]);
try {
  // Warm both servers up (JIT, first file writes) outside the measurement.
  await run(drain.url, drain.child.pid ?? 0, bodies.slice(0, 8));
  await run(emulator.url, emulator.child.pid ?? 0, bodies.slice(0, 8));
  await fetch(`${emulator.url}/__control/reset`, { method: 'POST' });

  const baseline = await run(drain.url, drain.child.pid ?? 0, bodies);
  const emulated = await run(emulator.url, emulator.child.pid ?? 0, bodies);
  const listing = (await (await fetch(`${emulator.url}/__control/objects`)).json()) as { objects: Array<{ size: number }> };
  const stored = listing.objects.filter((object) => object.size === FILE_BYTES).length;
  if (stored !== UPLOADS) throw new Error(`expected ${UPLOADS} stored objects, found ${stored}`);

  console.log(
    `\n${UPLOADS} × ${FILE_BYTES / 1024 / 1024} MB V1 PostObject uploads, concurrency ${CONCURRENCY}, loopback, Node ${process.version}`,
  );
  console.log(describe('drain baseline', baseline));
  console.log(describe('OSS emulator', emulated));
  console.log(`emulator / baseline throughput: ${(emulated.mbPerSecond / baseline.mbPerSecond).toFixed(2)}`);
  console.log(
    `emulator peak RSS growth over idle: ${(emulated.peakRssMb - emulated.idleRssMb).toFixed(1)} MB for ${(UPLOADS * FILE_BYTES) / 1024 / 1024} MB uploaded`,
  );
  console.log(
    JSON.stringify({
      uploads: UPLOADS,
      fileBytes: FILE_BYTES,
      concurrency: CONCURRENCY,
      emulatorMBps: Number(emulated.mbPerSecond.toFixed(1)),
      baselineMBps: Number(baseline.mbPerSecond.toFixed(1)),
      ratio: Number((emulated.mbPerSecond / baseline.mbPerSecond).toFixed(3)),
      emulatorIdleRssMB: Number(emulated.idleRssMb.toFixed(1)),
      emulatorPeakRssMB: Number(emulated.peakRssMb.toFixed(1)),
      baselinePeakRssMB: Number(baseline.peakRssMb.toFixed(1)),
    }),
  );
} finally {
  await Promise.all([stopProcess(emulator.child), stopProcess(drain.child)]);
  await rm(dataDir, { recursive: true, force: true });
}
