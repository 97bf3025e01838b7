import { encodeObjectKey } from '../../oss-emulator/encodeObjectKey.js';
import { ok } from '../../result.js';
import { fileNameFromContentDisposition } from './fileNameFromContentDisposition.js';
import { ticketApiFailure, type TicketApiResult } from './ticketApiResponses.js';
import type { TicketAttachment } from './ticketStore.js';

interface EmulatorObject {
  key: string;
  size: number;
  contentDisposition?: string;
}

function isEmulatorObjectList(value: unknown): value is { objects: EmulatorObject[] } {
  if (typeof value !== 'object' || value === null) return false;
  const objects = (value as { objects?: unknown }).objects;
  return (
    Array.isArray(objects) &&
    objects.every(
      (item: unknown) =>
        typeof item === 'object' &&
        item !== null &&
        typeof (item as EmulatorObject).key === 'string' &&
        typeof (item as EmulatorObject).size === 'number',
    )
  );
}

/** The ticket API's view of the bucket, through the emulator's control API (a real backend would use OSS itself). */
export interface EmulatorAttachments {
  /** The attachments for these keys; every key must be a stored object. */
  resolve(keys: string[]): Promise<TicketApiResult<TicketAttachment[]>>;
  /** Deletes a stored object (OSS DeleteObject); `deleted` is false when there was none. */
  remove(key: string): Promise<TicketApiResult<{ key: string; deleted: boolean }>>;
}

export function createEmulatorAttachments(ossUrl: string): EmulatorAttachments {
  return {
    async resolve(keys) {
      if (keys.length === 0) return ok([]);
      let listing: unknown;
      try {
        const response = await fetch(`${ossUrl}/__control/objects`);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        listing = await response.json();
      } catch (error) {
        return ticketApiFailure(503, 'SYSTEM_BUSY', `Could not reach the OSS emulator to check attachments: ${String(error)}`);
      }
      if (!isEmulatorObjectList(listing)) return ticketApiFailure(503, 'SYSTEM_BUSY', 'The OSS emulator answered an unexpected listing.');
      const byKey = new Map(listing.objects.map((object) => [object.key, object]));
      const attachments: TicketAttachment[] = [];
      for (const key of keys) {
        const object = byKey.get(key);
        if (object === undefined) {
          return ticketApiFailure(400, 'ILLEGAL_PARAM', `Attachment "${key}" does not exist in OSS; upload it first.`);
        }
        const fromDisposition =
          typeof object.contentDisposition === 'string' ? fileNameFromContentDisposition(object.contentDisposition) : undefined;
        attachments.push({
          key,
          name: fromDisposition ?? key.slice(key.lastIndexOf('/') + 1),
          size: object.size,
          url: `${ossUrl}/${encodeObjectKey(key)}`,
        });
      }
      return ok(attachments);
    },

    async remove(key) {
      try {
        const response = await fetch(`${ossUrl}/__control/delete`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key }) });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const { deleted } = (await response.json()) as { deleted: boolean };
        return ok({ key, deleted });
      } catch (error) {
        return ticketApiFailure(503, 'SYSTEM_BUSY', `Could not reach the OSS emulator to delete the attachment: ${String(error)}`);
      }
    },
  };
}
