/** The demo's calls to the local ticket API and the OSS emulator's control API (server/). */
// Shapes of the local ticket API's answers (type-only: nothing from server/ reaches the bundle).
import type { Ticket, TicketReply } from '../server/work-order/demo-ticket-api/ticketStore';

export type { Ticket, TicketAttachment, TicketReply } from '../server/work-order/demo-ticket-api/ticketStore';

export interface DemoConfig {
  ossUrl: string;
}

export interface FaultSettings {
  latencyMs: number;
  bandwidthBytesPerSecond: number;
  failureRate: number;
  failureStatus: number;
  dropRate: number;
  forcePolicyExpired: number;
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

export async function createTicket(input: { title: string; content: string; attachments: string }): Promise<Ticket> {
  return readJson<Ticket>(await postJson('/api/tickets', input));
}

export async function replyToTicket(ticketId: string, input: { content: string; attachments: string }): Promise<TicketReply> {
  return readJson<TicketReply>(await postJson(`/api/tickets/${encodeURIComponent(ticketId)}/replies`, input));
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
