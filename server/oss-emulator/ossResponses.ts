import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeObjectKey } from './encodeObjectKey.js';
import type { StoredObject } from './objectStore.js';
import type { OssError } from './ossErrors.js';
import type { AcceptedPostObjectForm } from './postObjectForm.js';

// What the emulator answers, as OSS answers it: the error XML with its headers (docs/oss-protocol.md §4) and the
// success forms of a PostObject (docs/oss-protocol.md §1: redirect, 201 with XML, 200 or 204 without a body).

/** Escapes element text; quotes stay literal, as in real OSS bodies (`<ETag>"…"</ETag>`). */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function element(name: string, value: string): string {
  return `  <${name}>${escapeXml(value)}</${name}>\n`;
}

/** docs/oss-protocol.md §4: `<Error>` with Code, Message, RequestId, HostId, and EC/RecommendDoc when known. */
export function renderOssErrorXml(error: OssError, requestId: string, hostId: string, extra: Record<string, string> = {}): string {
  let body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n';
  body += element('Code', error.code) + element('Message', error.message);
  for (const [name, value] of Object.entries(extra)) body += element(name, value);
  body += element('RequestId', requestId) + element('HostId', hostId);
  if (error.ec !== undefined) {
    body += element('EC', error.ec) + element('RecommendDoc', `https://api.aliyun.com/troubleshoot?q=${error.ec}`);
  }
  return `${body}</Error>\n`;
}

/** docs/oss-protocol.md §4: 201 body; element order follows the real capture (I9): Bucket, Location, Key, ETag. */
export function renderPostResponseXml(fields: { bucket: string; location: string; key: string; etag: string }): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse>\n' +
    element('Bucket', fields.bucket) +
    element('Location', fields.location) +
    element('Key', fields.key) +
    element('ETag', fields.etag) +
    '</PostResponse>\n'
  );
}

/** Writes an OSS error answer; the request id is the one already set on `res` (docs/oss-protocol.md §4). */
export function sendOssError(
  req: IncomingMessage,
  res: ServerResponse,
  error: OssError,
  fallbackHostId: string,
  extra?: Record<string, string>,
): void {
  const requestId = String(res.getHeader('x-oss-request-id'));
  const hostId = req.headers.host ?? fallbackHostId;
  const body = renderOssErrorXml(error, requestId, hostId, extra);
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/xml',
    'Content-Length': Buffer.byteLength(body),
  };
  // docs/oss-protocol.md §4: errors carry x-oss-ec next to x-oss-request-id.
  if (error.ec !== undefined) headers['x-oss-ec'] = error.ec;
  res.writeHead(error.status, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** docs/oss-protocol.md §1: `success_action_status` is 200, 201 or 204; unset or anything else yields 204. */
export function successActionStatus(value: string | undefined): 200 | 201 | 204 {
  if (value === '200') return 200;
  if (value === '201') return 201;
  return 204;
}

/** The status a successful PostObject answers: a redirect when the form asks for one, else its success status. */
export function postObjectSuccessStatus(form: AcceptedPostObjectForm): 200 | 201 | 204 | 303 {
  return form.successActionRedirect === undefined ? form.successActionStatus : 303;
}

/** Answers a stored PostObject the way the form asked (docs/oss-protocol.md §1). */
export function sendPostObjectSuccess(
  res: ServerResponse,
  answer: { bucket: string; baseUrl: string; object: StoredObject; form: AcceptedPostObjectForm },
): void {
  const { bucket, object, form } = answer;
  res.setHeader('ETag', object.etag);
  const sse = form.storedHeaders['x-oss-server-side-encryption'];
  if (sse !== undefined) res.setHeader('x-oss-server-side-encryption', sse);
  if (form.successActionRedirect !== undefined) {
    // docs/oss-protocol.md §1: on success, redirect the client (with bucket, key and etag as S3-style query). [U]
    const target = new URL(form.successActionRedirect);
    target.searchParams.set('bucket', bucket);
    target.searchParams.set('key', object.key);
    target.searchParams.set('etag', object.etag);
    res.writeHead(303, { Location: target.toString(), 'Content-Length': '0' }).end();
    return;
  }
  if (form.successActionStatus === 201) {
    const location = `${answer.baseUrl}/${encodeObjectKey(object.key)}`;
    const body = renderPostResponseXml({ bucket, location, key: object.key, etag: object.etag });
    res.writeHead(201, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) }).end(body);
    return;
  }
  if (form.successActionStatus === 200) {
    res.writeHead(200, { 'Content-Length': '0' }).end();
    return;
  }
  res.writeHead(204).end();
}
