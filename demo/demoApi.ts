/** The demo's calls to its backend (which calls the Work Order API) and the OSS emulator's control API (server/). */
// Shapes of the demo backend's answers (type-only: nothing from server/ reaches the bundle).
import type { DemoApiVersion, DemoReply, DemoTicket } from '../server/work-order/demo-backend/demoTicketView';

export type {
  DemoApiVersion,
  DemoAttachment as TicketAttachment,
  DemoReply as TicketReply,
  DemoTicket as Ticket,
} from '../server/work-order/demo-backend/demoTicketView';

export interface DemoConfig {
  ossUrl: string;
  /** The Work Order API versions the backend serves. */
  apiVersions?: DemoApiVersion[];
}

export interface FaultSettings {
  latencyMs: number;
  bandwidthBytesPerSecond: number;
  failureRate: number;
  failureStatus: number;
  dropRate: number;
  forcePolicyExpired: number;
}

/** The local Work Order API's faults (server/work-order/workOrderFaults.ts). */
export interface WorkOrderFaultSettings {
  latencyMs: number;
  systemBusy: number;
  illegalAuth: number;
  clockOffsetMs: number;
}

export interface AuthorizationSettings {
  lifetimeSeconds: number;
  requests?: number;
}

async function readJson<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => null)) as { success?: boolean; message?: string; data?: T } | null;
  if (!response.ok || !body || body.success === false) {
    throw new Error(body?.message ?? `Request failed with HTTP ${response.status}`);
  }
  return (body.data ?? body) as T;
}

export const fetchConfig = () => fetch('/api/config').then((response) => response.json() as Promise<DemoConfig>);

export function fetchAuthorization({ signal }: { signal: AbortSignal }) {
  return fetch('/api/getOSSTempAuthor', { signal, cache: 'no-store' });
}

function postJson(url: string, body: unknown) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/**
 * The 2021-06-10 mode's per-file call (`POST /api/attachment-upload-url`): `{ObjectKey, PutSignedUrl,
 * ContentType}` for one file: the component's `fetchUploadUrl` when the demo's "Work Order API"
 * setting is 2021-06-10.
 */
export function fetchUploadUrl({ file, signal }: { file: File; signal: AbortSignal }) {
  return fetch('/api/attachment-upload-url', {
    method: 'POST',
    signal,
    cache: 'no-store',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fileName: file.name }),
  });
}

/** `add` (2016-08-30, the default) or CreateTicket (2021-06-10), through the demo backend. */
export async function createTicket(input: {
  title: string;
  content: string;
  attachments: string;
  apiVersion?: DemoApiVersion;
}): Promise<DemoTicket> {
  return readJson<DemoTicket>(await postJson('/api/tickets', input));
}

/** QuestionReply or ReplyTicket, whichever API version created the ticket. */
export async function replyToTicket(ticketId: string, input: { content: string; attachments: string }): Promise<DemoReply> {
  return readJson<DemoReply>(await postJson(`/api/tickets/${encodeURIComponent(ticketId)}/replies`, input));
}

/** `onRemoveUploaded`: deletes an object the user removed before submitting (the backend refuses attached ones). */
export async function discardAttachment(key: string): Promise<void> {
  await readJson<unknown>(await postJson('/api/attachments/discard', { key }));
}

export async function setFaults(ossUrl: string, faults: Partial<FaultSettings>): Promise<void> {
  const response = await postJson(`${ossUrl}/__control/faults`, faults);
  if (!response.ok) throw new Error(`The emulator refused the fault settings (HTTP ${response.status}).`);
}

export async function getAuthorizationSettings(): Promise<AuthorizationSettings> {
  return (await fetch('/api/__control/authorization')).json() as Promise<AuthorizationSettings>;
}

export async function setAuthorizationSettings(settings: Partial<AuthorizationSettings>): Promise<void> {
  const response = await postJson('/api/__control/authorization', settings);
  if (!response.ok) throw new Error(`The API refused the authorization settings (HTTP ${response.status}).`);
}

export async function getWorkOrderFaults(): Promise<WorkOrderFaultSettings> {
  const response = await fetch('/api/__control/work-order-faults', { cache: 'no-store' });
  if (!response.ok) throw new Error(`The local Work Order API is not running (HTTP ${response.status}).`);
  return response.json() as Promise<WorkOrderFaultSettings>;
}

export async function setWorkOrderFaults(faults: Partial<WorkOrderFaultSettings>): Promise<WorkOrderFaultSettings> {
  const response = await postJson('/api/__control/work-order-faults', faults);
  if (!response.ok) throw new Error(`The Work Order API emulator refused the fault settings (HTTP ${response.status}).`);
  return response.json() as Promise<WorkOrderFaultSettings>;
}
