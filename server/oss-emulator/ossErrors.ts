/** An OSS error answer (docs/oss-protocol.md §4): HTTP status, Code, Message and, when the docs give one, the EC. */
export interface OssError {
  status: number;
  code: string;
  message: string;
  /** Fine-grained error code; only set where docs/oss-protocol.md §1–§4 names one (clients must not branch on it). */
  ec?: string;
}

const MALFORMED_POST_MESSAGE = 'The body of your POST request is not well-formed multipart/form-data';
const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your key and signing method.';

/**
 * The errors this emulator answers, with the wording of docs/oss-protocol.md §4. Entries marked [U] follow the
 * reference's unconfirmed readings (or S3's wording for the same Code) and say so in a comment.
 */
export const ossErrors = {
  policyExpired: (): OssError => ({
    status: 403,
    code: 'AccessDenied',
    message: 'Invalid according to Policy: Policy expired.',
  }),
  policyConditionFailed: (renderedCondition: string): OssError => ({
    status: 403,
    code: 'AccessDenied',
    message: `Invalid according to Policy: Policy Condition failed: ${renderedCondition}`,
  }),
  // docs/oss-protocol.md §4 / §1: only a public-read-write bucket accepts an anonymous POST; ours is private.
  anonymousDenied: (): OssError => ({
    status: 403,
    code: 'AccessDenied',
    message: 'You have no right to access this object because of bucket acl.',
  }),
  // docs/oss-protocol.md §4 [U]: the troubleshooting table prints Code AccessDenied; we use the Code of S16.
  signatureDoesNotMatch: (): OssError => ({
    status: 403,
    code: 'SignatureDoesNotMatch',
    message: SIGNATURE_MISMATCH_MESSAGE,
  }),
  invalidAccessKeyId: (): OssError => ({
    status: 403,
    code: 'InvalidAccessKeyId',
    message: 'The OSS Access Key Id you provided does not exist in our records.',
  }),
  // [U] not in docs/oss-protocol.md §4: real OSS's code for a security token that does not match.
  invalidSecurityToken: (): OssError => ({
    status: 403,
    code: 'InvalidSecurityToken',
    message: 'The security token you provided is invalid.',
  }),
  // [U] docs/oss-protocol.md §3 allows 15 minutes of skew for x-oss-date; the Code is OSS's general one.
  requestTimeTooSkewed: (): OssError => ({
    status: 403,
    code: 'RequestTimeTooSkewed',
    message: 'The difference between the request time and the current time is too large.',
  }),
  invalidPolicyDocument: (detail: string, ec?: string): OssError => ({
    status: 400,
    code: 'InvalidPolicyDocument',
    message: `Invalid Policy: ${detail}`,
    ...(ec === undefined ? {} : { ec }),
  }),
  malformedPost: (ec?: string): OssError => ({
    status: 400,
    code: 'MalformedPOSTRequest',
    message: MALFORMED_POST_MESSAGE,
    ...(ec === undefined ? {} : { ec }),
  }),
  // docs/oss-protocol.md §1: missing `key`, or `key` after `file`.
  missingKey: (): OssError => ({
    status: 400,
    code: 'InvalidArgument',
    message: "The bucket POST must contain the specified 'key'. If it is specified, please check the order of the fields",
  }),
  // docs/oss-protocol.md §1: the V1 trio is all or nothing [U: wording mirrors the `key` message].
  missingAuthField: (field: string, ec?: string): OssError => ({
    status: 400,
    code: 'InvalidArgument',
    message: `The bucket POST must contain the specified '${field}'. If it is specified, please check the order of the fields`,
    ...(ec === undefined ? {} : { ec }),
  }),
  invalidArgument: (message: string, ec?: string): OssError => ({
    status: 400,
    code: 'InvalidArgument',
    message,
    ...(ec === undefined ? {} : { ec }),
  }),
  // docs/oss-protocol.md §1: a missing `file` part or a body cut short in transit (EC 0006-00000104).
  missingFile: (): OssError => ({
    status: 400,
    code: 'MalformedPOSTRequest',
    message: MALFORMED_POST_MESSAGE,
    ec: '0006-00000104',
  }),
  // docs/oss-protocol.md §1 (S4) rejects several `file` parts; docs/oss-protocol.md §4 [U] maps that to this Code (S3's message).
  incorrectNumberOfFiles: (): OssError => ({
    status: 400,
    code: 'IncorrectNumberOfFilesInPOSTRequest',
    message: 'POST requires exactly one file upload per request.',
  }),
  // docs/oss-protocol.md §1 limits + docs/oss-protocol.md §4 [U] mapping: one value > 2 MB or one name > 8 KB.
  fieldItemTooLong: (ec?: string): OssError => ({
    status: 400,
    code: 'FieldItemTooLong',
    message: 'Post form fields items too large',
    ...(ec === undefined ? {} : { ec }),
  }),
  // docs/oss-protocol.md §1 limits + docs/oss-protocol.md §4 [U]: all fields before `file` > 8 MB (EC 0006-00000112); S3's message.
  preDataTooLong: (): OssError => ({
    status: 400,
    code: 'MaxPOSTPreDataLengthExceeded',
    message: 'Your POST request fields preceding the upload file were too large.',
    ec: '0006-00000112',
  }),
  // docs/oss-protocol.md §4 [U]: EC 0006-00000003 (> max or > 5 GB); the message is S3's.
  entityTooLarge: (): OssError => ({
    status: 400,
    code: 'EntityTooLarge',
    message: 'Your proposed upload exceeds the maximum allowed size',
    ec: '0006-00000003',
  }),
  // docs/oss-protocol.md §4 [U]: EC 0006-00000004 (< min); the message is S3's.
  entityTooSmall: (): OssError => ({
    status: 400,
    code: 'EntityTooSmall',
    message: 'Your proposed upload is smaller than the minimum allowed size',
    ec: '0006-00000004',
  }),
  invalidDigest: (): OssError => ({
    status: 400,
    code: 'InvalidDigest',
    message: 'The Content-MD5 you specified is not valid.',
  }),
  fileAlreadyExists: (): OssError => ({
    status: 409,
    code: 'FileAlreadyExists',
    message: 'The object you specified already exists and can not be overwritten.',
  }),
  invalidEncryptionAlgorithm: (): OssError => ({
    status: 400,
    code: 'InvalidEncryptionAlgorithmError',
    message: 'The encryption request you specified is not valid. Supported value: AES256/KMS',
  }),
  // [U] S26: object names are 1–1023 bytes and cannot start with "/" or "\".
  invalidObjectName: (): OssError => ({
    status: 400,
    code: 'InvalidObjectName',
    message: 'The specified object is not valid.',
  }),
  // [U] docs/oss-protocol.md §1: all x-oss-meta-* together at most 8 KB.
  metadataTooLarge: (): OssError => ({
    status: 400,
    code: 'MetadataTooLarge',
    message: 'Your metadata headers exceed the maximum allowed metadata size.',
  }),
  notImplemented: (what: string): OssError => ({
    status: 501,
    code: 'NotImplemented',
    message: `${what} is not implemented by the local OSS emulator.`,
  }),
  noSuchKey: (): OssError => ({ status: 404, code: 'NoSuchKey', message: 'The specified key does not exist.' }),
  invalidUri: (): OssError => ({ status: 400, code: 'InvalidURI', message: "Couldn't parse the specified URI." }),
  methodNotAllowed: (): OssError => ({
    status: 405,
    code: 'MethodNotAllowed',
    message: 'The specified method is not allowed against this resource.',
  }),
  // docs/oss-protocol.md §5: an OPTIONS without Origin.
  corsMissingOrigin: (): OssError => ({
    status: 400,
    code: 'BadRequest',
    message: 'Insufficient information. Origin request header needed.',
  }),
  // docs/oss-protocol.md §5: no CORS rule matches the preflight.
  corsForbidden: (): OssError => ({
    status: 403,
    code: 'AccessForbidden',
    message:
      "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
  }),
  internalError: (): OssError => ({
    status: 500,
    code: 'InternalError',
    message: 'We encountered an internal error. Please try again.',
  }),
  /** Injected failures (faults.ts) answer with the Code OSS uses for that status. */
  injectedFailure: (status: number): OssError => {
    if (status === 503) return { status, code: 'ServiceUnavailable', message: 'Please reduce your request rate.' };
    return { status, code: 'InternalError', message: 'We encountered an internal error. Please try again.' };
  },
} as const;
