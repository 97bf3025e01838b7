import {
  RPC_SIGNATURE_METHOD,
  RPC_SIGNATURE_VERSION,
  buildRpcStringToSign,
  verifyRpcSignature,
  type RpcParams,
} from './popRpcSignature.js';
import { missingParameterMessage, type WorkOrderGatewayErrorCode } from './workOrderGatewayError.js';

/** An AccessKey the emulated gateway knows. */
export interface WorkOrderCredential {
  accessKeyId: string;
  accessKeySecret: string;
  /** Set for STS credentials: every request must then carry exactly this `SecurityToken`. */
  securityToken?: string;
}

/** Remembers the nonces seen; `true` when `nonce` is new (and records it). */
export interface SignatureNonceRegistry {
  claim(nonce: string, now: Date): boolean;
  clear(): void;
}

export type RpcGatewayCheck =
  { ok: true; credential: WorkOrderCredential; params: RpcParams } | { ok: false; code: WorkOrderGatewayErrorCode; message: string };

/** docs/work-order-api.md §2: a Timestamp more than 15 minutes from the gateway's clock is refused. */
export const RPC_TIMESTAMP_TOLERANCE_MS = 15 * 60 * 1000;

// docs/work-order-api.md §2: the parameters every signed RPC request carries.
const COMMON_PARAMETERS = [
  'Action',
  'Version',
  'Format',
  'AccessKeyId',
  'SignatureMethod',
  'SignatureVersion',
  'SignatureNonce',
  'Timestamp',
  'Signature',
];

// ISO 8601 UTC as pop-core writes it (`2026-01-02T03:04:05Z`); fractional seconds tolerated.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/**
 * A nonce only has to be remembered while its request's Timestamp is still acceptable: an older
 * replay fails the Timestamp check anyway. So entries are dropped once twice the tolerance has
 * passed, which keeps the memory bounded by the request rate.
 */
export function createSignatureNonceRegistry(): SignatureNonceRegistry {
  const seen = new Map<string, number>();
  return {
    claim(nonce, now) {
      const nowMs = now.getTime();
      for (const [seenNonce, at] of seen) {
        if (nowMs - at <= 2 * RPC_TIMESTAMP_TOLERANCE_MS) break;
        seen.delete(seenNonce);
      }
      if (seen.has(nonce)) return false;
      seen.set(nonce, nowMs);
      return true;
    },
    clear() {
      seen.clear();
    },
  };
}

const fail = (code: WorkOrderGatewayErrorCode, message: string): RpcGatewayCheck => ({ ok: false, code, message });

export interface RpcGatewayCheckInput {
  method: string;
  params: RpcParams;
  findCredential: (accessKeyId: string) => WorkOrderCredential | undefined;
  nonces: SignatureNonceRegistry;
  /** The gateway's clock. */
  now: Date;
  /** API versions served. */
  versions: readonly string[];
}

/**
 * What the RPC gateway checks before a call reaches the service, in this order: common parameters,
 * their values, Timestamp, AccessKeyId, STS token, signature, and last the nonce, so that a request
 * that fails any other check does not use up its nonce (docs/work-order-api.md §2). The gateway's
 * real order is not documented.
 */
export function checkRpcGatewayRequest({ method, params, findCredential, nonces, now, versions }: RpcGatewayCheckInput): RpcGatewayCheck {
  for (const name of COMMON_PARAMETERS) {
    if (params[name] === undefined || params[name] === '') return fail('MissingParameter', missingParameterMessage(name));
  }
  const value = (name: string): string => params[name] as string;
  if (value('Format') !== 'JSON')
    return fail('InvalidParameter', `Specified parameter Format "${value('Format')}" is not valid: this emulator answers JSON only.`);
  if (value('SignatureMethod') !== RPC_SIGNATURE_METHOD)
    return fail('InvalidParameter', `Specified parameter SignatureMethod "${value('SignatureMethod')}" is not valid.`);
  if (value('SignatureVersion') !== RPC_SIGNATURE_VERSION)
    return fail('InvalidParameter', `Specified parameter SignatureVersion "${value('SignatureVersion')}" is not valid.`);
  if (!versions.includes(value('Version')))
    return fail('InvalidVersion', `Specified parameter Version "${value('Version')}" is not valid.`);

  const timestamp = value('Timestamp');
  const timestampMs = TIMESTAMP.test(timestamp) ? Date.parse(timestamp) : Number.NaN;
  if (Number.isNaN(timestampMs)) {
    return fail('InvalidTimeStamp.Format', `Specified time stamp "${timestamp}" is not in the format YYYY-MM-DDThh:mm:ssZ.`);
  }
  if (Math.abs(now.getTime() - timestampMs) > RPC_TIMESTAMP_TOLERANCE_MS) {
    return fail(
      'InvalidTimeStamp.Expired',
      `Specified time stamp or date header is expired: ${timestamp}, server time ${now.toISOString().replace(/\.\d{3}Z$/, 'Z')}.`,
    );
  }

  const credential = findCredential(value('AccessKeyId'));
  if (credential === undefined) return fail('InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
  if ((credential.securityToken ?? '') !== (params.SecurityToken ?? '')) {
    return fail('InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.');
  }

  const signed = { method, params, accessKeySecret: credential.accessKeySecret };
  if (!verifyRpcSignature({ ...signed, signature: value('Signature') })) {
    // Like the real gateway, say what was signed on this side (never the secret): comparing it with
    // the client's string to sign is how a signing bug is found.
    return fail(
      'SignatureDoesNotMatch',
      `Specified signature is not matched with our calculation. server string to sign is:${buildRpcStringToSign(method, params)}`,
    );
  }
  if (!nonces.claim(value('SignatureNonce'), now)) return fail('SignatureNonceUsed', 'Specified signature nonce was used already.');
  return { ok: true, credential, params };
}
