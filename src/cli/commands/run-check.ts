/** `cred-supervisor check`: resolve → verify → print the checklist (or JSON) → exit code. */
import { terminalMfaPrompt } from '../../credentials/mfa-prompt.js';
import { formatSsoRows, ssoStateOfProfile } from '../../sso/sso-checklist.js';
import { checklistJson, formatChecklist } from '../../verify/checklist.js';
import { resolveAndVerify } from '../../verify/resolve-and-verify.js';
import { type CliIo, useColor } from '../cli-io.js';
import { ExitCode, exitCodeForFailure } from '../exit-codes.js';
import { buildOptions } from '../shared-options.js';
import type { CheckFlags } from './check.js';

export async function runCheck(flags: CheckFlags, io: CliIo): Promise<number> {
  const options = await buildOptions(flags, io.cwd, {
    onWarning: (message) => io.stderr.write(`${message}\n`),
  });
  const promptMfaCode = io.stdin
    ? terminalMfaPrompt({ input: io.stdin as never, output: io.stderr as never })
    : undefined;
  const { facts } = await resolveAndVerify({ options, env: io.env, promptMfaCode });
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
