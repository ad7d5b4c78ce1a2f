/** `cred-supervisor check`: resolve → verify → print the checklist (or JSON) → exit code. */
import { inspectCommand } from '../../compat/inspect-command.js';
import { DEFAULT_COMMAND } from '../../config/options.js';
import { terminalMfaPrompt } from '../../credentials/mfa-prompt.js';
import { formatSsoRows, ssoStateOfProfile } from '../../sso/sso-checklist.js';
import { checklistJson, formatChecklist } from '../../verify/checklist.js';
import { resolveAndVerify } from '../../verify/resolve-and-verify.js';
import { asWritable, type CliIo, useColor } from '../cli-io.js';
import { ExitCode, exitCodeForFailure } from '../exit-codes.js';
import { buildOptions, type SharedFlags } from '../shared-options.js';
import { refuseProjectProfileConflict } from './project-profile-conflict.js';
import { findProjectRoot } from './project-root.js';
import { ssoBeforeResolve } from './sso-before-resolve.js';

export interface CheckFlags extends SharedFlags {
  json?: boolean;
}

export async function runCheck(flags: CheckFlags, io: CliIo): Promise<number> {
  // From a subfolder (`lib/`), the project root's config and state, as `status` finds them.
  const options = await buildOptions(flags, io.cwd, {
    onWarning: (message) => io.stderr.write(`${message}\n`),
    projectDir: findProjectRoot(io.cwd),
  });
  const command = options.command ?? DEFAULT_COMMAND;
  await refuseProjectProfileConflict(options, io.cwd, command);
  await ssoBeforeResolve(options, io);
  const promptMfaCode = io.stdin
    ? terminalMfaPrompt({ input: io.stdin, output: asWritable(io.stderr) })
    : undefined;
  const verified = await resolveAndVerify({ options, env: io.env, promptMfaCode, cwd: io.cwd, command });
  // How the command `watch` would run gets credentials, and so how rotations reach it.
  const { route } = await inspectCommand({
    command,
    cwd: io.cwd,
    env: io.env,
    delivery: options.delivery,
    profile: options.profile ?? io.env.AWS_PROFILE,
  });
  const facts = { ...verified.facts, route };
  const { result } = facts;
  const code = result.ok ? ExitCode.ok : exitCodeForFailure(result.reason);
  const sso = await ssoStateOfProfile(facts.source?.profile ?? options.profile, io.env);
  if (flags.json) {
    io.stdout.write(`${JSON.stringify({ ...checklistJson(facts), sso }, null, 2)}\n`);
    return code;
  }
  // A working check is the command's answer (stdout); a failure is an error report (stderr), so
  // `cred-supervisor check >/dev/null && …` still shows the person what is wrong.
  const stream = result.ok ? io.stdout : io.stderr;
  const color = useColor(stream, io.env);
  stream.write(formatChecklist(facts, { color }));
  if (sso) stream.write(formatSsoRows(sso, facts.now, color));
  return code;
}
