/**
 * A JSON answer no cache may keep or share: every answer of the handlers names one user's upload
 * permission, signed URL or stored object.
 */
export function noStoreJsonResponse(status: number, body: unknown, extraHeaders: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...extraHeaders },
  });
}
