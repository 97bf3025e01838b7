/** OSS error answers of the PostObject flow (docs/oss-protocol.md §4) and the code each maps to, for the core tests. */

export interface OssErrorCase {
  name: string;
  status: number;
  ossCode: string;
  /** Message as it appears in the XML (entities escaped). */
  xmlMessage: string;
  /** Message after XML decoding. */
  message: string;
  expected: string;
  extra?: string;
}

/** Every error of the PostObject flow listed in docs/oss-protocol.md §4 "Codes for this flow", with the code we map it to. */
export const OSS_ERROR_CASES: readonly OssErrorCase[] = [
  {
    name: "maps AccessDenied 'Policy expired.' to policy-expired",
    status: 403,
    ossCode: 'AccessDenied',
    xmlMessage: 'Invalid according to Policy: Policy expired.',
    message: 'Invalid according to Policy: Policy expired.',
    expected: 'policy-expired',
  },
  {
    name: "maps AccessDenied 'Policy Condition failed' to policy-condition-failed",
    status: 403,
    ossCode: 'AccessDenied',
    xmlMessage: 'Invalid according to Policy: Policy Condition failed: [&quot;starts-with&quot;, &quot;$key&quot;, &quot;user/eric/&quot;]',
    message: 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "user/eric/"]',
    expected: 'policy-condition-failed',
  },
  {
    name: 'maps SignatureDoesNotMatch to signature-mismatch',
    status: 403,
    ossCode: 'SignatureDoesNotMatch',
    xmlMessage: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    expected: 'signature-mismatch',
    extra:
      '  <SignatureProvided>5be4*********37AE=</SignatureProvided>\n  <StringToSign>eyJleHBpcmF0aW9uIjoi</StringToSign>\n  <OSSAccessKeyId>LTA******54r3</OSSAccessKeyId>',
  },
  {
    name: "maps AccessDenied 'SignatureDoesNotMatch …' (troubleshooting-table form) to signature-mismatch",
    status: 403,
    ossCode: 'AccessDenied',
    xmlMessage: 'SignatureDoesNotMatch The request signature we calculated does not match the signature you provided.',
    message: 'SignatureDoesNotMatch The request signature we calculated does not match the signature you provided.',
    expected: 'signature-mismatch',
  },
  {
    name: 'maps InvalidAccessKeyId to invalid-access-key',
    status: 403,
    ossCode: 'InvalidAccessKeyId',
    xmlMessage: 'The OSS Access Key Id you provided does not exist in our records.',
    message: 'The OSS Access Key Id you provided does not exist in our records.',
    expected: 'invalid-access-key',
  },
  {
    name: 'maps EntityTooLarge to entity-too-large',
    status: 400,
    ossCode: 'EntityTooLarge',
    xmlMessage: 'Your proposed upload exceeds the maximum allowed size.',
    message: 'Your proposed upload exceeds the maximum allowed size.',
    expected: 'entity-too-large',
  },
  {
    name: 'maps EntityTooSmall to entity-too-small',
    status: 400,
    ossCode: 'EntityTooSmall',
    xmlMessage: 'Your proposed upload is smaller than the minimum allowed size.',
    message: 'Your proposed upload is smaller than the minimum allowed size.',
    expected: 'entity-too-small',
  },
  {
    name: "maps AccessDenied 'Request has expired.' (a presigned URL past its Expires, docs/work-order-api.md §4) to upload-url-expired",
    status: 403,
    ossCode: 'AccessDenied',
    xmlMessage: 'Request has expired.',
    message: 'Request has expired.',
    expected: 'upload-url-expired',
  },
  {
    name: "maps AccessDenied 'because of bucket acl' to access-denied",
    status: 403,
    ossCode: 'AccessDenied',
    xmlMessage: 'You have no right to access this object because of bucket acl.',
    message: 'You have no right to access this object because of bucket acl.',
    expected: 'access-denied',
  },
  {
    name: 'maps InvalidPolicyDocument to oss-error',
    status: 400,
    ossCode: 'InvalidPolicyDocument',
    xmlMessage: 'Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.',
    message: 'Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.',
    expected: 'oss-error',
  },
  {
    name: 'maps MalformedPOSTRequest to oss-error',
    status: 400,
    ossCode: 'MalformedPOSTRequest',
    xmlMessage: 'The body of your POST request is not well-formed multipart/form-data.',
    message: 'The body of your POST request is not well-formed multipart/form-data.',
    expected: 'oss-error',
  },
];

/** A gateway's HTML error page: not an OSS document (docs/oss-protocol.md §4: "Non-XML bodies … still give a clear error"). */
export const NGINX_502_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
