import { socketErrorCode, transportError } from './transport-errors';

function socketError(code: string): Error {
  return Object.assign(new Error(code), { code });
}

describe('transport errors', () => {
  it('finds the socket code anywhere in the cause chain', () => {
    const nested = new TypeError('fetch failed', {
      cause: new Error('wrapper', { cause: socketError('ECONNRESET') }),
    });
    expect(socketErrorCode(nested)).toBe('ECONNRESET');
    expect(socketErrorCode(new Error('plain'))).toBeUndefined();
  });

  it('reads "socket hang up" without a code as a reset', () => {
    expect(socketErrorCode(new Error('socket hang up'))).toBe('ECONNRESET');
  });

  it.each([
    ['ECONNREFUSED', 'psp_unreachable'],
    ['ENOTFOUND', 'psp_unreachable'],
    ['EAI_AGAIN', 'psp_unreachable'],
    ['EHOSTUNREACH', 'psp_unreachable'],
    ['ENETUNREACH', 'psp_unreachable'],
    ['UND_ERR_CONNECT_TIMEOUT', 'psp_unreachable'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'psp_tls_handshake_failed'],
    ['ERR_TLS_HANDSHAKE_TIMEOUT', 'psp_tls_handshake_failed'],
    ['CERT_HAS_EXPIRED', 'psp_tls_handshake_failed'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'psp_tls_handshake_failed'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'psp_tls_handshake_failed'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'psp_tls_handshake_failed'],
    ['CERT_NOT_YET_VALID', 'psp_tls_handshake_failed'],
    ['CERT_REVOKED', 'psp_tls_handshake_failed'],
    ['CERT_UNTRUSTED', 'psp_tls_handshake_failed'],
    ['CERT_SIGNATURE_FAILURE', 'psp_tls_handshake_failed'],
    ['UNABLE_TO_GET_ISSUER_CERT', 'psp_tls_handshake_failed'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'psp_tls_handshake_failed'],
  ])('%s happens before any byte is sent: not_executed (%s)', (code, normalized) => {
    expect(transportError('stripe', socketError(code))).toMatchObject({
      errorClass: 'not_executed',
      retryable: true,
      code: normalized,
      providerCode: code,
    });
  });

  it.each([
    ['ECONNRESET', 'psp_connection_reset'],
    ['EPIPE', 'psp_connection_reset'],
    ['UND_ERR_SOCKET', 'psp_connection_reset'],
    ['UND_ERR_CLOSED', 'psp_connection_reset'],
    ['ETIMEDOUT', 'psp_timeout'],
    ['UND_ERR_HEADERS_TIMEOUT', 'psp_timeout'],
    ['UND_ERR_BODY_TIMEOUT', 'psp_timeout'],
    ['EPROTO', 'psp_connection_error'],
    ['ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC', 'psp_connection_error'],
  ])('%s may come after the PSP executed: indeterminate (%s)', (code, normalized) => {
    expect(transportError('adyen', socketError(code))).toMatchObject({
      errorClass: 'indeterminate',
      retryable: true,
      code: normalized,
    });
  });

  it('reads "socket hang up" as indeterminate', () => {
    expect(transportError('stripe', new Error('socket hang up'))).toMatchObject({
      errorClass: 'indeterminate',
      code: 'psp_connection_reset',
    });
  });

  it('names the timeout it waited for', () => {
    const error = transportError('adyen', socketError('ETIMEDOUT'), 750);
    expect(error).toMatchObject({
      errorClass: 'indeterminate',
      code: 'psp_timeout',
      message: 'adyen did not answer within 750 ms',
    });
  });

  it('reads an aborted fetch (AbortSignal.timeout) as a timeout', () => {
    const abort = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(transportError('adyen', abort)).toMatchObject({
      errorClass: 'indeterminate',
      code: 'psp_timeout',
    });
  });

  it('treats an unexplained failure as indeterminate: the PSP may have acted', () => {
    expect(transportError('stripe', new Error('???'))).toMatchObject({
      errorClass: 'indeterminate',
      retryable: true,
    });
  });
});
