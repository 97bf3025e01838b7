// What the demo backend answers the demo page about a ticket (the page imports these as types only).

/** The Work Order API generation a demo ticket went through. */
export type DemoApiVersion = '2016-08-30' | '2021-06-10';

export const DEMO_API_VERSIONS: readonly DemoApiVersion[] = ['2016-08-30', '2021-06-10'];

export interface DemoAttachment {
  /** The object key when the API tells it (2016-08-30); else the attachment's name. */
  key: string;
  /** The original file name. */
  name: string;
  /** Bytes, when known (the 2021-06-10 notes list no size). */
  size?: number;
  /** A presigned GET link, when the API or the local stack can give one. */
  url?: string;
}

export interface DemoReply {
  id: string;
  content: string;
  attachments: DemoAttachment[];
  /** ISO 8601 UTC, when known. */
  createdAt?: string;
}

export interface DemoTicket {
  id: string;
  apiVersion: DemoApiVersion;
  title: string;
  content: string;
  attachments: DemoAttachment[];
  /** ISO 8601 UTC, when known. */
  createdAt?: string;
  replies: DemoReply[];
}
