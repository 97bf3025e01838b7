import { describe, expect, it } from 'vitest';
import { isAuthorizationErrorCode, isUploadError, UploadError, UploadErrorCode } from '../../src/core/UploadError';

describe('UploadError', () => {
  it('is an Error with a kebab-case code, status, requestId, ossCode, field and cause', () => {
    const cause = new Error('root');
    const error = new UploadError('policy-expired', 'Invalid according to Policy: Policy expired.', {
      status: 403,
      requestId: '5C3D9175B6FC201293AD4890',
      ossCode: 'AccessDenied',
      field: 'policy',
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('UploadError');
    expect([error.code, error.message, error.status, error.requestId, error.ossCode, error.field, error.cause]).toEqual([
      'policy-expired',
      'Invalid according to Policy: Policy expired.',
      403,
      '5C3D9175B6FC201293AD4890',
      'AccessDenied',
      'policy',
      cause,
    ]);
  });

  it('leaves optional details undefined and has no cause when none is given', () => {
    const error = new UploadError('network-error', 'dropped');
    expect([error.status, error.requestId, error.ossCode, error.field]).toEqual([undefined, undefined, undefined, undefined]);
    expect('cause' in error).toBe(false);
  });

  it('uses only kebab-case codes', () => {
    for (const code of Object.values(UploadErrorCode)) expect(code).toMatch(/^[a-z]+(-[a-z0-9]+)*$/);
  });

  it.each([
    [new UploadError('timeout', 't'), true],
    [new Error('x'), false],
    [{ code: 'timeout', message: 't' }, false],
    [null, false],
  ])('isUploadError(%s) is %s', (value, expected) => {
    expect(isUploadError(value)).toBe(expected);
  });

  it.each([
    ['authorization-expired', true],
    ['authorization-malformed', true],
    ['authorization-request-failed', true],
    ['policy-expired', false],
    ['network-error', false],
    ['file-too-large', false],
  ] as const)('isAuthorizationErrorCode(%s) is %s', (code, expected) => {
    expect(isAuthorizationErrorCode(code)).toBe(expected);
  });
});
