import { describe, expect, it } from 'vitest';
import { defaultOptions } from '../../src/config/options.js';
import { CredentialProblem } from '../../src/credentials/errors.js';
import { CredentialCandidates } from '../../src/supervisor/credential-candidates.js';
import { problemMeaning } from '../../src/verify/problem-meaning.js';

describe('problemMeaning', () => {
  it('a profile whose STS or SSO portal cannot be reached is a network problem for check and watch', () => {
    expect(problemMeaning('NETWORK')).toEqual({ failure: 'network', rejection: 'network' });
  });

  it('watch turns a NETWORK problem from the sources into a network rejection (retried), not "malformed"', async () => {
    const candidates = new CredentialCandidates({
      options: defaultOptions('/nowhere'),
      env: {},
      resolve: async () => {
        throw new CredentialProblem(
          'NETWORK',
          'Assuming role for profile dev failed: STS could not be reached.',
        );
      },
      verify: async () => {
        throw new Error('not reached');
      },
      regionFor: () => 'us-east-1',
    });
    expect(await candidates.verifyCandidate(1)).toMatchObject({
      type: 'credentials-rejected',
      reason: 'network',
    });
  });
});
