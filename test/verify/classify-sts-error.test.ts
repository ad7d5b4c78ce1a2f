/**
 * Errors the loopback fake STS cannot produce (DNS failures, certificate problems, other services'
 * spellings). Shaped like the SDK's: `name` and `$metadata.httpStatusCode` for service errors, `code`
 * for Node's socket errors. The errors the fake can produce are tested through it, in
 * verify-credentials.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { classifyStsError } from '../../src/verify/classify-sts-error.js';

function serviceError(name: string, httpStatusCode: number, message = 'Some message.') {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
}

function socketError(code: string, message = `${code} happened`) {
  return Object.assign(new Error(message), { code });
}

describe('classifyStsError', () => {
  it.each([
    ['ExpiredToken', 400],
    ['ExpiredTokenException', 400],
    ['TokenRefreshRequired', 400],
  ])('%s (HTTP %i) is expired', (name, status) => {
    expect(classifyStsError(serviceError(name, status))).toMatchObject({ reason: 'expired', code: name });
  });

  it.each([
    ['InvalidClientTokenId', 403],
    ['UnrecognizedClientException', 400],
    ['SignatureDoesNotMatch', 403],
    ['AccessDenied', 403],
  ])('%s (HTTP %i) is invalid', (name, status) => {
    expect(classifyStsError(serviceError(name, status))).toMatchObject({
      reason: 'invalid',
      httpStatus: status,
    });
  });

  it('says a SignatureDoesNotMatch means the secret key does not match', () => {
    expect(classifyStsError(serviceError('SignatureDoesNotMatch', 403)).message).toMatch(/secret access key/);
  });

  it.each(['ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT'])(
    '%s is network',
    (code) => {
      expect(classifyStsError(socketError(code))).toMatchObject({ reason: 'network', code });
    },
  );

  it('calls an expired TLS certificate (a proxy) a network problem, never expired credentials', () => {
    const result = classifyStsError(socketError('CERT_HAS_EXPIRED', 'certificate has expired'));
    expect(result).toMatchObject({ reason: 'network', code: 'CERT_HAS_EXPIRED' });
    expect(result.message).toMatch(/TLS/);
  });

  it.each([
    ['ServiceUnavailable', 503],
    ['InternalFailure', 500],
    ['TooManyRequestsException', 429],
    ['ThrottlingException', 400],
    ['RequestLimitExceeded', 400],
  ])('%s (HTTP %i) is network', (name, status) => {
    expect(classifyStsError(serviceError(name, status))).toMatchObject({
      reason: 'network',
      httpStatus: status,
    });
  });

  it('calls RequestExpired a clock problem (clock-skew), not expired credentials', () => {
    const result = classifyStsError(serviceError('RequestExpired', 400));
    expect(result).toMatchObject({ reason: 'clock-skew', code: 'RequestExpired' });
    expect(result.fix).toMatch(/clock/);
  });

  it('reports an unknown STS error as error, naming the code and status', () => {
    const result = classifyStsError(serviceError('SomethingNew', 400, 'Brand new failure.'));
    expect(result).toMatchObject({ reason: 'error', code: 'SomethingNew', httpStatus: 400 });
    expect(result.message).toContain('SomethingNew, HTTP 400');
    expect(result.message).toContain('Brand new failure');
  });

  it('reports a non-error throw as error without crashing', () => {
    expect(classifyStsError('boom')).toMatchObject({
      reason: 'error',
      message: expect.stringContaining('boom'),
    });
    expect(classifyStsError(undefined)).toMatchObject({ reason: 'error' });
  });
});
