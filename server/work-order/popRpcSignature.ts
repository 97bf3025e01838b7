import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * POP RPC signature 1.0, the scheme `@alicloud/pop-core`'s RPCClient signs with and the RPC gateway
 * checks (docs/work-order-api.md §2). Pure functions: no clock, no nonce, no I/O.
 */

/** The request parameters as name → value, `Signature` included or not (it is never signed). */
export type RpcParams = Readonly<Record<string, string>>;

/** The only method this signature version defines (docs/work-order-api.md §2). */
export const RPC_SIGNATURE_METHOD = 'HMAC-SHA1';
export const RPC_SIGNATURE_VERSION = '1.0';

/**
 * RFC 3986 percent-encoding of UTF-8 as the RPC signature wants it: only `A-Z a-z 0-9 - _ . ~`
 * stay as they are, a space is `%20` (never `+`), `*` is `%2A`. `encodeURIComponent` leaves
 * `! ' ( ) *` alone, so those are encoded on top (docs/work-order-api.md §2).
 */
export function percentEncodeRpc(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Every parameter but `Signature`, sorted by name, `name=value` each percent-encoded, joined with
 * `&`. Names are compared by UTF-16 code unit, which is byte order for the ASCII names the API
 * uses and the order pop-core itself sorts in (docs/work-order-api.md §2).
 */
export function canonicalizeRpcParams(params: RpcParams): string {
  return Object.keys(params)
    .filter((name) => name !== 'Signature')
    .sort()
    .map((name) => `${percentEncodeRpc(name)}=${percentEncodeRpc(params[name] as string)}`)
    .join('&');
}

/** `METHOD&%2F&percentEncode(canonicalized query)` (docs/work-order-api.md §2). */
export function buildRpcStringToSign(method: string, params: RpcParams): string {
  return `${method.toUpperCase()}&${percentEncodeRpc('/')}&${percentEncodeRpc(canonicalizeRpcParams(params))}`;
}

export interface RpcSigningInput {
  /** The HTTP method the request is sent with: it is part of what is signed. */
  method: string;
  params: RpcParams;
  accessKeySecret: string;
}

/** Base64 HMAC-SHA1 of the string to sign, keyed with the secret plus `&` (docs/work-order-api.md §2). */
export function signRpcRequest({ method, params, accessKeySecret }: RpcSigningInput): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(buildRpcStringToSign(method, params), 'utf8').digest('base64');
}

/** Whether `signature` is the one {@link signRpcRequest} computes, compared in constant time. */
export function verifyRpcSignature(input: RpcSigningInput & { signature: string }): boolean {
  const expected = Buffer.from(signRpcRequest(input), 'utf8');
  const given = Buffer.from(input.signature, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
