import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';

describe('public API (docs/usage.md "Programmatic API")', () => {
  it('exports detectCredentialError, verifyCredentials and Supervisor', () => {
    expect(typeof api.detectCredentialError).toBe('function');
    expect(typeof api.verifyCredentials).toBe('function');
    expect(typeof api.Supervisor).toBe('function');
  });

  it('detectCredentialError classifies a line with ANSI codes', () => {
    expect(
      api.detectCredentialError(
        '\x1b[31mExpiredToken: The security token included in the request is expired\x1b[0m',
      ),
    ).toBe('expired');
    expect(api.detectCredentialError('DevStack: deploying... [1/1]')).toBeNull();
  });
});
