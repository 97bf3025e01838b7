// The image shrinker (through its lazy loader), bundled alone for test/browser/imageShrink.test.ts and
// bench/imageShrink.ts: they generate big test images here, in the page, with a canvas (seeded, so every run
// makes the same bytes), shrink them and read the results back, driving it all from page.evaluate.
import { loadImageShrinker } from '../../../../src/core/loadImageShrinker';
import type { ShrunkImage } from '../../../../src/core/ShrinkImage';
import { createImageShrinker } from '../../../../src/core/shrinkImageToFit';
import { UploadError } from '../../../../src/core/UploadError';
import { buildExifApp1, insertExifApp1, type ExifTags } from '../../../support/exifApp1';
import { createSeededRandom } from '../../../../server/oss-emulator/createSeededRandom';

export interface GenerateImage {
  kind: 'photo' | 'screenshot';
  width: number;
  height: number;
  type: 'image/jpeg' | 'image/png';
  name: string;
  /** JPEG quality of the generated original. */
  quality?: number;
  seed?: number;
  /** Noise amplitude per channel (0–255): what makes the file big. */
  noise?: number;
  /** A fully transparent square of this size at the top-right (PNG only). */
  transparentCorner?: number;
  exif?: ExifTags;
}

export interface ShrinkRun {
  ok: boolean;
  error?: { name: string; code?: string; message: string };
  name?: string;
  type?: string;
  size?: number;
  width?: number;
  height?: number;
  originalSize?: number;
  /** What createImageBitmap decodes from the result (default orientation handling). */
  decoded?: { width: number; height: number };
  /** RGBA at a few spots of the result, as fractions of its width/height. */
  pixels?: Record<string, [number, number, number, number]>;
  /** The result's bytes, base64, when asked for. */
  base64?: string;
  /** Messages from workers during the shrink. */
  workerMessages: number;
  elapsedMs: number;
  longTasks: { count: number; totalMs: number; longestMs: number };
}

const files = new Map<string, File>();
/** Messages the page's workers sent: more than the start-up answer means the work really ran in a worker. */
let workerMessages = 0;
const NativeWorker = window.Worker;
window.Worker = class CountingWorker extends NativeWorker {
  constructor(...args: ConstructorParameters<typeof Worker>) {
    super(...args);
    this.addEventListener('message', () => (workerMessages += 1));
  }
};
const longTasks: PerformanceEntry[] = [];
try {
  new PerformanceObserver((list) => longTasks.push(...list.getEntries())).observe({ type: 'longtask', buffered: true });
} catch {
  // No Long Tasks API (not Chromium): the figures stay at zero.
}

function drawPhoto(context: OffscreenCanvasRenderingContext2D, spec: GenerateImage, random: () => number): void {
  const { width, height } = spec;
  const sky = context.createLinearGradient(0, 0, width * 0.3, height);
  sky.addColorStop(0, '#3a6ea5');
  sky.addColorStop(0.5, '#f0c27b');
  sky.addColorStop(1, '#4b1248');
  context.fillStyle = sky;
  context.fillRect(0, 0, width, height);
  for (let index = 0; index < 60; index += 1) {
    const radius = (0.02 + random() * 0.15) * Math.min(width, height);
    const glow = context.createRadialGradient(random() * width, random() * height, 0, random() * width, random() * height, radius * 2);
    glow.addColorStop(0, `hsla(${Math.floor(random() * 360)}, 70%, 55%, 0.8)`);
    glow.addColorStop(1, 'hsla(0, 0%, 0%, 0)');
    context.fillStyle = glow;
    context.fillRect(0, 0, width, height);
  }
}

function drawScreenshot(context: OffscreenCanvasRenderingContext2D, spec: GenerateImage, random: () => number): void {
  const { width, height } = spec;
  context.fillStyle = '#f5f6f8';
  context.fillRect(0, 0, width, height);
  context.fillStyle = '#1f2d3d';
  context.fillRect(0, 0, width, 120);
  context.fillStyle = '#e4e7ed';
  context.fillRect(0, 120, 420, height - 120);
  context.font = '28px sans-serif';
  for (let y = 180; y < height - 40; y += 44) {
    context.fillStyle = random() < 0.15 ? '#c0392b' : '#303133';
    const words = Array.from({ length: 6 + Math.floor(random() * 10) }, () =>
      Math.random()
        .toString(36)
        .slice(2, 3 + Math.floor(random() * 8)),
    );
    context.fillText(words.join(' '), 480, y);
    if (random() < 0.1) {
      context.fillStyle = `hsl(${Math.floor(random() * 360)}, 60%, 85%)`;
      context.fillRect(460, y - 34, width - 520, 44);
    }
  }
}

/** Generates an image in the page and keeps it under `spec.name`; answers its size in bytes. */
async function generate(spec: GenerateImage): Promise<number> {
  const random = createSeededRandom(spec.seed ?? 1);
  const canvas = new OffscreenCanvas(spec.width, spec.height);
  const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
  if (spec.kind === 'photo') drawPhoto(context, spec, random);
  else drawScreenshot(context, spec, random);
  if (spec.noise) {
    const image = context.getImageData(0, 0, spec.width, spec.height);
    const { data } = image;
    const amplitude = spec.noise;
    for (let index = 0; index < data.length; index += 4) {
      const grain = (random() - 0.5) * amplitude;
      data[index] = (data[index] as number) + grain + (random() - 0.5) * amplitude * 0.5;
      data[index + 1] = (data[index + 1] as number) + grain;
      data[index + 2] = (data[index + 2] as number) + grain + (random() - 0.5) * amplitude * 0.5;
    }
    context.putImageData(image, 0, 0);
  }
  // A pure red square at the stored image's top-left: where it ends up shows which orientation was applied.
  context.fillStyle = '#ff0000';
  context.fillRect(0, 0, Math.round(spec.width / 10), Math.round(spec.height / 10));
  if (spec.transparentCorner) context.clearRect(spec.width - spec.transparentCorner, 0, spec.transparentCorner, spec.transparentCorner);
  const blob = await canvas.convertToBlob({ type: spec.type, quality: spec.quality ?? 0.95 });
  let bytes = new Uint8Array(await blob.arrayBuffer());
  if (spec.exif) bytes = insertExifApp1(bytes, buildExifApp1(spec.exif));
  const file = new File([bytes], spec.name, { type: spec.type, lastModified: 1_700_000_000_000 });
  files.set(spec.name, file);
  return file.size;
}

/** Keeps arbitrary bytes as a file (corrupt or undecodable inputs). */
function addFile(name: string, type: string, bytes: number[], repeat = 1): number {
  const chunk = new Uint8Array(bytes);
  const file = new File(
    Array.from({ length: repeat }, () => chunk),
    name,
    { type },
  );
  files.set(name, file);
  return file.size;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let index = 0; index < bytes.length; index += 0x8000) binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  return btoa(binary);
}

async function headBase64(name: string, length: number): Promise<string> {
  const file = files.get(name) as File;
  return toBase64(new Uint8Array(await file.slice(0, length).arrayBuffer()));
}

async function samplePixels(image: Blob, spots: Record<string, [number, number]>) {
  const bitmap = await createImageBitmap(image);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
  context.drawImage(bitmap, 0, 0);
  const decoded = { width: bitmap.width, height: bitmap.height };
  bitmap.close();
  const pixels: Record<string, [number, number, number, number]> = {};
  for (const [label, [fx, fy]] of Object.entries(spots)) {
    const data = context.getImageData(Math.floor(fx * (decoded.width - 1)), Math.floor(fy * (decoded.height - 1)), 1, 1).data;
    pixels[label] = [data[0] as number, data[1] as number, data[2] as number, data[3] as number];
  }
  return { decoded, pixels };
}

function longTaskFigures(since: number) {
  const entries = longTasks.filter((entry) => entry.startTime >= since);
  return {
    count: entries.length,
    totalMs: entries.reduce((sum, entry) => sum + entry.duration, 0),
    longestMs: entries.reduce((longest, entry) => Math.max(longest, entry.duration), 0),
  };
}

/** Shrinks a kept file; `abortAfterMs` aborts that long after the start (0: before it starts). */
async function shrink(
  name: string,
  options: {
    maxBytes: number;
    /** `auto` (the app's path: a worker when possible, loaded lazily) or `main-thread` (the fallback). */
    codec?: 'auto' | 'main-thread';
    abortAfterMs?: number;
    spots?: Record<string, [number, number]>;
    withBytes?: boolean;
  },
): Promise<ShrinkRun> {
  const file = files.get(name);
  if (!file) throw new Error(`No generated file named ${name}`);
  const shrinkImage =
    options.codec === 'main-thread' ? createImageShrinker({ codec: 'main-thread', UploadError }) : await loadImageShrinker();
  const controller = new AbortController();
  if (options.abortAfterMs === 0) controller.abort();
  else if (options.abortAfterMs !== undefined) setTimeout(() => controller.abort(), options.abortAfterMs);
  // Let the observer deliver what happened before (the generation's long tasks) before the clock starts.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = performance.now();
  const messagesBefore = workerMessages;
  let result: ShrunkImage;
  try {
    result = await shrinkImage(file, { maxBytes: options.maxBytes, signal: controller.signal });
  } catch (caught) {
    const error = caught as { name: string; code?: string; message: string };
    return {
      ok: false,
      error: { name: error.name, code: error.code, message: error.message },
      workerMessages: workerMessages - messagesBefore,
      elapsedMs: performance.now() - started,
      longTasks: longTaskFigures(started),
    };
  }
  const elapsedMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 50));
  const figures = longTaskFigures(started);
  const sampled = options.spots ? await samplePixels(result.file, options.spots) : undefined;
  return {
    ok: true,
    name: result.file.name,
    type: result.file.type,
    size: result.file.size,
    width: result.width,
    height: result.height,
    originalSize: result.originalSize,
    decoded: sampled?.decoded,
    pixels: sampled?.pixels,
    base64: options.withBytes ? toBase64(new Uint8Array(await result.file.arrayBuffer())) : undefined,
    workerMessages: workerMessages - messagesBefore,
    elapsedMs,
    longTasks: figures,
  };
}

const imageShrink = {
  generate,
  addFile,
  headBase64,
  shrink,
  file: (name: string) => files.get(name),
  longTaskFigures,
  forget: (name: string) => files.delete(name),
};
export type ImageShrinkPage = typeof imageShrink;

declare global {
  interface Window {
    imageShrink: ImageShrinkPage;
  }
}

window.imageShrink = imageShrink;
