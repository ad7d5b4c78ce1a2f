import { expect } from 'vitest';
import { CredentialProblem } from '../../../src/credentials/errors.js';

/** The CredentialProblem `promise` rejects with; fails the test if it resolves or rejects with anything else. */
export async function problemOf(promise: Promise<unknown>): Promise<CredentialProblem> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CredentialProblem);
  return error as CredentialProblem;
}
