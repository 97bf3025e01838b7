// Builds PostObject forms the way a browser does (Node's FormData, fields in order) and signs
// them with ali-oss, so the emulator is checked against the official SDK, not against itself.
import { request } from 'node:http';
import { aliOssCredential, aliOssPolicyBase64, aliOssV4Date, createAliOssClient } from './aliOss';

export interface EmulatorCredentials {
  url: string;
  accessKeyId: string;
  accessKeySecret: string;
  bucket: string;
  region: string;
  securityToken?: string;
}

export type FormEntry = [name: string, value: string];

export interface SignedFieldsOptions {
  key: string;
  version?: 'v1' | 'v4';
  /** Default: content-length-range 0..2 MB and starts-with $key "". */
  conditions?: unknown[];
  /** Default: two minutes from now. */
  expiration?: Date;
  /** V4 signing time (x-oss-date). Default: now. */
  signedAt?: Date;
  /** Overrides of the credentials used to sign (e.g. a wrong secret). */
  signWith?: Partial<EmulatorCredentials>;
  /** Put the STS token field in the form (default: when the emulator has one). */
  securityToken?: string;
}

export const TWO_MB = 2 * 1024 * 1024;

export function defaultConditions(): unknown[] {
  return [
    ['content-length-range', 0, TWO_MB],
    ['starts-with', '$key', ''],
  ];
}

/** key, policy and the signature fields, in that order, signed with ali-oss (docs/oss-protocol.md §2, §3). */
export function signedFields(emulator: EmulatorCredentials, options: SignedFieldsOptions): FormEntry[] {
  const signer = { ...emulator, ...options.signWith };
  const client = createAliOssClient(signer);
  const expiration = options.expiration ?? new Date(Date.now() + 120_000);
  const conditions = [...(options.conditions ?? defaultConditions())];
  const token = options.securityToken ?? emulator.securityToken;
  const entries: FormEntry[] = [['key', options.key]];
  if ((options.version ?? 'v1') === 'v1') {
    if (token !== undefined) conditions.push({ 'x-oss-security-token': token });
    const signed = client.calculatePostSignature({ expiration: expiration.toISOString(), conditions });
    entries.push(['policy', signed.policy], ['OSSAccessKeyId', signed.OSSAccessKeyId], ['Signature', signed.Signature]);
  } else {
    // The ali-oss README's V4 PostObject flow (docs/oss-protocol.md §7).
    const date = options.signedAt ?? new Date();
    const xOssDate = aliOssV4Date(date);
    const credential = aliOssCredential(client, xOssDate);
    conditions.push(
      { bucket: emulator.bucket },
      { 'x-oss-credential': credential },
      { 'x-oss-date': xOssDate },
      { 'x-oss-signature-version': 'OSS4-HMAC-SHA256' },
    );
    if (token !== undefined) conditions.push({ 'x-oss-security-token': token });
    const policy = { expiration: expiration.toISOString(), conditions };
    entries.push(
      ['policy', aliOssPolicyBase64(policy)],
      ['x-oss-signature-version', 'OSS4-HMAC-SHA256'],
      ['x-oss-credential', credential],
      ['x-oss-date', xOssDate],
      ['x-oss-signature', client.signPostObjectPolicyV4(policy, date)],
    );
  }
  if (token !== undefined) entries.push(['x-oss-security-token', token]);
  return entries;
}

export interface FilePart {
  content: string | Uint8Array;
  name?: string;
  type?: string;
}

/** A FormData with the entries in order and, when given, the file last (docs/oss-protocol.md §1). */
export function buildForm(entries: FormEntry[], file?: FilePart): FormData {
  const form = new FormData();
  for (const [name, value] of entries) form.append(name, value);
  if (file !== undefined) appendFile(form, 'file', file);
  return form;
}

export function appendFile(form: FormData, name: string, file: FilePart): void {
  // Copy into a plain ArrayBuffer-backed view: the DOM Blob typings refuse SharedArrayBuffer-backed Buffers.
  const part = typeof file.content === 'string' ? file.content : new Uint8Array(file.content);
  const blob = new Blob([part], { type: file.type ?? 'application/octet-stream' });
  form.append(name, blob, file.name ?? 'upload.bin');
}

export interface PostResult {
  status: number;
  headers: Headers;
  body: string;
}

export async function postForm(url: string, form: FormData, headers: Record<string, string> = {}): Promise<PostResult> {
  const response = await fetch(`${url}/`, { method: 'POST', body: form, headers });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

export interface ParsedOssError {
  code: string | undefined;
  message: string | undefined;
  requestId: string | undefined;
  hostId: string | undefined;
  ec: string | undefined;
}

function unescapeXml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function xmlElement(body: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(body);
  return match === null ? undefined : unescapeXml(match[1] as string);
}

export function parseOssError(body: string): ParsedOssError {
  return {
    code: xmlElement(body, 'Code'),
    message: xmlElement(body, 'Message'),
    requestId: xmlElement(body, 'RequestId'),
    hostId: xmlElement(body, 'HostId'),
    ec: xmlElement(body, 'EC'),
  };
}

/** Serialises a FormData with Node's own encoder, for raw (truncated, corrupted, slow) requests. */
export async function encodeForm(form: FormData): Promise<{ body: Buffer; contentType: string }> {
  const response = new Response(form);
  const contentType = response.headers.get('content-type') ?? '';
  return { body: Buffer.from(await response.arrayBuffer()), contentType };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw POST over node:http with the body written as given (no client-side fixes). */
export function rawPost(url: string, headers: Record<string, string | number>, body: Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/`, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function controlJson<T>(url: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${url}/__control/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  if (!response.ok) throw new Error(`control ${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
