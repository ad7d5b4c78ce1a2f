/**
 * Where `watch` gets credentials, as one object: the candidates (resolve, then verify with STS), the
 * facts about the person's set-up read once at start, and the watch on the files fresh credentials
 * arrive in. Secrets are registered for redaction here, where verified credentials come into being.
 */
import type { Logger } from 'pino';
import { formatDuration } from '../config/duration.js';
import type { SupervisorOptions } from '../config/options.js';
import { findProjectProfile } from '../config/project-profile.js';
import { CredentialCandidates } from '../supervisor/credential-candidates.js';
import type { SupervisorEvent } from '../supervisor/types.js';
import { type ChosenRegion, type ProfileRegion, resolveRegion } from '../verify/region.js';
import { profileInEffect, profileRegion } from '../verify/region-context.js';
import type { VerifyOptions } from '../verify/verify-credentials.js';
import { verifyCredentials } from '../verify/verify-credentials.js';
import { type AmbientContext, readAmbientContext } from './ambient-context.js';
import type { MfaCodePrompt } from './mfa-prompt.js';
import { profileFilesToWatch } from './profile-files.js';
import { resolveCredentials } from './resolve-credentials.js';
import { type SourceChange, type SourceWatcher, watchCredentialSources } from './source-watcher.js';
import type { ResolvedCredentials } from './types.js';

export interface CredentialSourcesConfig {
  options: SupervisorOptions;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The supervised command: its own `--profile` names the profile in effect. */
  command?: readonly string[] | undefined;
  logger?: Logger | undefined;
  promptMfaCode?: MfaCodePrompt | undefined;
  verifyOptions?: Partial<VerifyOptions> | undefined;
}

/** Runs `work` unless it takes longer than `ms`; then answers `onTimeout()`. */
export type Limit = <T>(work: Promise<T>, ms: number, onTimeout: () => T) => Promise<T>;

export class CredentialSources {
  private readonly candidates: CredentialCandidates;
  private watcher: SourceWatcher | undefined;
  context: AmbientContext | undefined;
  /** The profile in effect and its configured region: the region rule's inputs from files. */
  private profileRegion: ProfileRegion | undefined;

  constructor(private readonly config: CredentialSourcesConfig) {
    this.candidates = new CredentialCandidates({
      options: config.options,
      env: config.env,
      resolve: resolveCredentials,
      verify: verifyCredentials,
      verifyOptions: { env: config.env, ...config.verifyOptions },
      resolveExtras: config.promptMfaCode ? { promptMfaCode: config.promptMfaCode } : {},
      regionFor: (resolved) => this.regionOf(resolved),
    });
  }

  /** Reads the set-up facts and starts watching the sources; resolves once changes are reported. */
  async open(onChange: (change: SourceChange) => void): Promise<void> {
    const { options, env, cwd } = this.config;
    const project = await findProjectProfile(cwd, this.config.command ?? []);
    this.candidates.setProjectProfile(project);
    const inEffect = profileInEffect({ option: options.profile, project, env });
    this.context = await readAmbientContext({
      profile: inEffect,
      credentialsFile: options.credentialsFile,
      cwd,
      env,
    });
    this.profileRegion = await profileRegion(inEffect, env);
    this.watcher = watchCredentialSources({
      credentialsFile: options.credentialsFile,
      // Any named profile (--profile, the project's, AWS_PROFILE) is a source: `aws sso login` for it
      // brings fresh ones too. The [default] profile alone is not watched.
      profilePaths: inEffect.from === 'default' ? [] : profileFilesToWatch(env),
      onChange,
      onError: (error) => this.config.logger?.warn({ err: error }, 'file watcher error'),
    });
    await this.watcher.ready;
  }

  async close(): Promise<void> {
    await this.watcher?.close();
  }

  get(candidateId: number): ResolvedCredentials | undefined {
    return this.candidates.get(candidateId);
  }

  /** The region for a child started with candidate `candidateId`: the one rule, `resolveRegion`. */
  regionFor(candidateId?: number): string {
    return this.chosenRegion(candidateId).region;
  }

  /** The same, with where it came from (for `status`). */
  chosenRegion(candidateId?: number): ChosenRegion {
    return this.regionChoice(candidateId === undefined ? undefined : this.get(candidateId));
  }

  private regionOf(resolved: ResolvedCredentials | undefined): string {
    return this.regionChoice(resolved).region;
  }

  private regionChoice(resolved: ResolvedCredentials | undefined): ChosenRegion {
    return resolveRegion({
      option: this.config.options.region,
      ...(resolved ? { source: { region: resolved.region, kind: resolved.source.kind } } : {}),
      env: this.config.env,
      profile: this.profileRegion,
    });
  }

  probe(candidateId: number): Promise<SupervisorEvent> {
    return this.candidates.probe(candidateId);
  }

  /** Resolves and verifies; a source that never answers becomes a rejection after `limitMs`. */
  async verify(candidateId: number, limitMs: number, limit: Limit): Promise<SupervisorEvent> {
    const event = await limit<SupervisorEvent>(this.candidates.verifyCandidate(candidateId), limitMs, () => ({
      type: 'credentials-rejected',
      candidateId,
      reason: 'profile-failed',
      message: `Resolving credentials took longer than ${formatDuration(limitMs)} (a credential_process or SSO that never answered?).`,
    }));
    this.config.logger?.info(
      {
        event: event.type,
        candidateId,
        ...(event.type === 'credentials-verified'
          ? {
              account: event.credentials.account,
              arn: event.credentials.arn,
              source: event.credentials.source,
            }
          : event.type === 'credentials-rejected'
            ? { reason: event.reason }
            : {}),
      },
      event.type === 'credentials-rejected' ? event.message : 'credentials verified',
    );
    return event;
  }
}
