/** `cred-supervisor check`: resolve → verify → print the checklist (or JSON) → exit code. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SupervisorOptions } from '../../config/options.js';
import { type MfaCodePrompt, terminalMfaPrompt } from '../../credentials/mfa-prompt.js';
import { resolveCredentials } from '../../credentials/resolve-credentials.js';
import { type ChecklistFacts, checklistJson, formatChecklist } from '../../verify/checklist.js';
import { failureFromResolveError } from '../../verify/credential-problem-failure.js';
import { isTemporaryKey } from '../../verify/identity-rules.js';
import { chooseRegion } from '../../verify/region.js';
import { verifyCredentials } from '../../verify/verify-credentials.js';
import { type CliIo, useColor } from '../cli-io.js';
import { ExitCode, exitCodeForFailure } from '../exit-codes.js';
import { buildOptions } from '../shared-options.js';
import type { CheckFlags } from './check.js';

export async function runCheck(flags: CheckFlags, io: CliIo): Promise<number> {
  const options = await buildOptions(flags, io.cwd, {
    onWarning: (message) => io.stderr.write(`${message}\n`),
  });
  const mfaPrompt = io.stdin
    ? terminalMfaPrompt({ input: io.stdin as never, output: io.stderr as never })
    : undefined;
  const facts = await gatherFacts(options, io.env, mfaPrompt);
  const { result } = facts;
  const code = result.ok ? ExitCode.ok : exitCodeForFailure(result.reason);
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(checklistJson(facts), null, 2)}\n`);
    return code;
  }
  // A working check is the command's answer (stdout); a failure is an error report (stderr), so
  // `cred-supervisor check >/dev/null && …` still shows the person what is wrong.
  const stream = result.ok ? io.stdout : io.stderr;
  stream.write(formatChecklist(facts, { color: useColor(stream, io.env) }));
  return code;
}

async function gatherFacts(
  options: SupervisorOptions,
  env: NodeJS.ProcessEnv,
  mfaPrompt: MfaCodePrompt | undefined,
): Promise<ChecklistFacts> {
  const { expectAccount } = options;
  const hint = {
    credentialsFile: options.credentialsFile,
    profile: options.profile,
    expectAccount,
    createDirectory: !existsSync(path.dirname(options.credentialsFile)),
  };
  let resolved: Awaited<ReturnType<typeof resolveCredentials>>;
  try {
    resolved = await resolveCredentials({ ...options, env, promptMfaCode: mfaPrompt });
  } catch (error) {
    const region = chooseRegion({ option: options.region, env });
    const result = failureFromResolveError(error, region.region);
    return { result, region, expectAccount, hint: { ...hint, region: region.region }, now: new Date() };
  }
  const { credentials, source } = resolved;
  const region = chooseRegion({
    option: options.region,
    source: { region: resolved.region, kind: source.kind },
    env,
  });
  const result = await verifyCredentials(credentials, { region: region.region, expectAccount, env });
  return {
    result,
    region,
    source,
    keys: { temporary: isTemporaryKey(credentials), expiresAt: credentials.expiration },
    expectAccount,
    hint: { ...hint, region: region.region },
    now: new Date(),
  };
}
