/**
 * The imperative side of "verify a candidate": resolve credentials from the sources, verify them with
 * STS, and turn the outcome into the state machine's event. The secrets stay in this module's map,
 * keyed by candidate id; the machine only ever sees facts (account, ARN, expiry, a fingerprint).
 */

import type { SupervisorOptions } from '../config/options.js';
import type { ProjectProfile } from '../config/project-profile.js';
import { CredentialProblem } from '../credentials/errors.js';
import { fingerprintOf } from '../credentials/fingerprint.js';
import type { MfaCodePrompt } from '../credentials/mfa-prompt.js';
import type { ResolvedCredentials } from '../credentials/types.js';
import { problemMeaning, rejectionForFailure } from '../verify/problem-meaning.js';
import type { VerificationFailure, VerificationFailureReason } from '../verify/verification-result.js';
import type { VerifyOptions } from '../verify/verify-credentials.js';
import type { ProbeFailureKind, SupervisorEvent } from './types.js';

export type ResolveFn = typeof import('../credentials/resolve-credentials.js').resolveCredentials;
export type VerifyFn = typeof import('../verify/verify-credentials.js').verifyCredentials;

/** How many verified candidates to keep: the one in use, the one being verified, a spare. */
const KEEP = 3;

function failureMessage(failure: VerificationFailure): string {
  return failure.fix ? `${failure.message} ${failure.fix}` : failure.message;
}

/** What a failed probe of the credentials in use says about them. */
function probeFailureKind(reason: VerificationFailureReason): ProbeFailureKind {
  switch (reason) {
    case 'expired':
      return 'expired';
    case 'network':
    case 'error':
      return 'network';
    case 'clock-skew':
      return 'clock-skew';
    case 'invalid':
    case 'missing':
    case 'root':
    case 'wrong-account':
      return 'invalid';
  }
}

export interface CandidateStoreOptions {
  options: SupervisorOptions;
  env: NodeJS.ProcessEnv;
  resolve: ResolveFn;
  verify: VerifyFn;
  /** The MFA prompt (only on a terminal). */
  resolveExtras?: { promptMfaCode?: MfaCodePrompt };
  /** The region rule (`resolveRegion`) for resolved credentials: STS is asked in the region the child gets. */
  regionFor: (resolved: ResolvedCredentials) => string;
  /** Extra verification settings (an STS endpoint for the demo, timeouts for tests). */
  verifyOptions?: Partial<VerifyOptions>;
}

export class CredentialCandidates {
  private readonly verified = new Map<number, ResolvedCredentials>();
  private projectProfile: ProjectProfile | undefined;

  constructor(private readonly config: CandidateStoreOptions) {}

  /** The profile cdk.json or the command names (found once at start): a source like `--profile`. */
  setProjectProfile(project: ProjectProfile | undefined): void {
    this.projectProfile = project;
  }

  get(candidateId: number): ResolvedCredentials | undefined {
    return this.verified.get(candidateId);
  }

  /** Resolves and verifies candidate `candidateId`; always answers with an event, never throws. */
  async verifyCandidate(candidateId: number): Promise<SupervisorEvent> {
    const { options, env } = this.config;
    let resolved: ResolvedCredentials;
    try {
      resolved = await this.config.resolve({
        ...options,
        env,
        ...this.config.resolveExtras,
        ...(this.projectProfile ? { projectProfile: this.projectProfile } : {}),
      });
    } catch (error) {
      if (error instanceof CredentialProblem) {
        return {
          type: 'credentials-rejected',
          candidateId,
          reason: problemMeaning(error.code).rejection,
          message: error.message,
        };
      }
      return {
        type: 'credentials-rejected',
        candidateId,
        reason: 'profile-failed',
        message: `Could not resolve credentials: ${(error as Error).message}`,
      };
    }
    const result = await this.config.verify(resolved.credentials, this.verifyOptionsFor(resolved));
    if (!result.ok) {
      return {
        type: 'credentials-rejected',
        candidateId,
        reason: rejectionForFailure(result.reason),
        message: failureMessage(result),
      };
    }
    this.remember(candidateId, resolved);
    return {
      type: 'credentials-verified',
      candidateId,
      credentials: {
        account: result.account,
        arn: result.arn,
        fingerprint: fingerprintOf(resolved),
        expiresAt: resolved.credentials.expiration?.getTime() ?? null,
        temporary: result.temporary,
        source: resolved.source.description,
      },
    };
  }

  /** STS probe of the credentials the child uses. */
  async probe(candidateId: number): Promise<SupervisorEvent> {
    const resolved = this.verified.get(candidateId);
    if (!resolved) {
      return { type: 'probe-failed', candidateId, kind: 'network', message: 'No credentials to probe.' };
    }
    const result = await this.config.verify(resolved.credentials, this.verifyOptionsFor(resolved));
    if (result.ok) return { type: 'probe-ok', candidateId };
    const kind = probeFailureKind(result.reason);
    return { type: 'probe-failed', candidateId, kind, message: failureMessage(result) };
  }

  private verifyOptionsFor(resolved: ResolvedCredentials): VerifyOptions {
    const { options, env } = this.config;
    const region = this.config.regionFor(resolved);
    return {
      env,
      ...(region ? { region } : {}),
      ...(options.expectAccount ? { expectAccount: options.expectAccount } : {}),
      ...this.config.verifyOptions,
    };
  }

  private remember(candidateId: number, resolved: ResolvedCredentials): void {
    this.verified.set(candidateId, resolved);
    const ids = [...this.verified.keys()].sort((a, b) => a - b);
    for (const id of ids.slice(0, Math.max(0, ids.length - KEEP))) this.verified.delete(id);
  }
}
