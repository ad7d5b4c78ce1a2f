/**
 * Resolve → verify, as `check` and `exec` do it: the sources in order, STS, and the checklist facts
 * either way (so both print the same checklist and map to the same exit code), plus what `exec` needs
 * to run the command: the resolved credentials and the region they were verified in.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SupervisorOptions } from '../config/options.js';
import { findProjectProfile } from '../config/project-profile.js';
import type { MfaCodePrompt } from '../credentials/mfa-prompt.js';
import { resolveProfileCredentials } from '../credentials/profile-source.js';
import { resolveCredentials } from '../credentials/resolve-credentials.js';
import type { ResolvedCredentials } from '../credentials/types.js';
import { registerCredentialSecrets } from '../logging/redact.js';
import type { ChecklistFacts } from './checklist.js';
import { failureFromResolveError } from './credential-problem-failure.js';
import { isTemporaryKey } from './identity-rules.js';
import { type ChosenRegion, resolveRegion } from './region.js';
import { profileInEffect, profileRegion } from './region-context.js';
import type { VerificationFailure, VerifiedCredentials } from './verification-result.js';
import { verifyCredentials } from './verify-credentials.js';

/** `facts` is what `check` prints, for success and failure alike. */
export type Verification =
  | {
      ok: true;
      resolved: ResolvedCredentials;
      identity: VerifiedCredentials;
      region: ChosenRegion;
      facts: ChecklistFacts;
      /**
       * The same sources read again, with the same inputs (cdk.json's profile included) and no MFA
       * question: what `exec` refreshes from while the command owns the terminal.
       */
      resolveAgain: () => Promise<ResolvedCredentials>;
    }
  | { ok: false; failure: VerificationFailure; facts: ChecklistFacts };

export interface ResolveAndVerifyInput {
  options: SupervisorOptions;
  /** The environment the person started us with (source 3, and the region fallback). */
  env: NodeJS.ProcessEnv;
  promptMfaCode?: MfaCodePrompt | undefined;
  /**
   * `--delivery profile`: the command reads this profile itself, so it is what must work, whatever
   * the credentials file holds.
   */
  profileOnly?: string | undefined;
  /** The project directory (cdk.json is looked for from here); default: the working directory. */
  cwd?: string | undefined;
  /** The command that will run (`exec`): its own `--profile` names the profile in effect. */
  command?: readonly string[] | undefined;
  now?: () => Date;
}

export async function resolveAndVerify(input: ResolveAndVerifyInput): Promise<Verification> {
  const { options, env } = input;
  const now = input.now ?? (() => new Date());
  const { expectAccount } = options;
  const project = await findProjectProfile(input.cwd ?? process.cwd(), input.command ?? []);
  const inEffect = profileInEffect({ option: input.profileOnly ?? options.profile, project, env });
  const profile = await profileRegion(inEffect, env);
  const named = input.profileOnly ?? options.profile ?? project?.name;
  const hint = {
    credentialsFile: options.credentialsFile,
    profile: named,
    profileKind: named === profile.name ? profile.kind : undefined,
    expectAccount,
    createDirectory: !existsSync(path.dirname(options.credentialsFile)),
  };
  const sharedOptions = options.region ? { region: options.region } : {};

  const resolveSources = (extras: { promptMfaCode?: MfaCodePrompt; now: () => Date }) =>
    input.profileOnly
      ? resolveProfileCredentials({
          ...sharedOptions,
          ...extras,
          profile: input.profileOnly,
          credentialsFile: options.credentialsFile,
        })
      : resolveCredentials({
          ...sharedOptions,
          ...extras,
          credentialsFile: options.credentialsFile,
          credentialsFileExplicit: options.credentialsFileExplicit,
          projectProfile: project,
          ...(options.profile ? { profile: options.profile } : {}),
          env,
        });

  let resolved: ResolvedCredentials;
  try {
    resolved = await resolveSources({
      ...(input.promptMfaCode ? { promptMfaCode: input.promptMfaCode } : {}),
      now,
    });
  } catch (error) {
    const region = resolveRegion({ option: options.region, env, profile });
    const result = failureFromResolveError(error, region.region);
    return {
      ok: false,
      failure: result,
      facts: { result, region, expectAccount, hint: { ...hint, region: region.region }, now: now() },
    };
  }

  const { credentials, source } = resolved;
  registerCredentialSecrets(credentials); // the profile-only path does not go through resolveCredentials
  const region = resolveRegion({
    option: options.region,
    source: { region: resolved.region, kind: source.kind },
    env,
    profile,
  });
  const result = await verifyCredentials(credentials, { region: region.region, expectAccount, env, now });
  const facts: ChecklistFacts = {
    result,
    region,
    source,
    sourceNotes: resolved.notes,
    keys: { temporary: isTemporaryKey(credentials), expiresAt: credentials.expiration },
    expectAccount,
    hint: { ...hint, region: region.region },
    now: now(),
  };
  if (result.ok) {
    const resolveAgain = () => resolveSources({ now });
    return { ok: true, resolved, identity: result, region, facts, resolveAgain };
  }
  return { ok: false, failure: result, facts };
}
