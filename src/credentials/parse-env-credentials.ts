/**
 * Reads the credential variables out of parsed env lines. A missing key, secret or token line means
 * the writer is not done yet (`aws configure export-credentials > file` truncates first, then writes),
 * so it is NOT_READY rather than an error: the watcher will see the rest arrive.
 */
import { type SourcedValue, validateCredentialFields } from './credential-fields.js';
import { hintForName } from './env-name-hints.js';
import { CredentialProblem } from './errors.js';
import type { EnvAssignment } from './parse-env-lines.js';
import { displayName } from './parse-env-lines.js';
import type { ParsedCredentialsFile } from './parsed-credentials.js';

const CREDENTIAL_NAMES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
] as const;
type CredentialName = (typeof CREDENTIAL_NAMES)[number];

// us-east-1, eu-central-2, us-gov-west-1, cn-northwest-1, ap-southeast-5 …
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

function isCredentialName(name: string): name is CredentialName {
  return (CREDENTIAL_NAMES as readonly string[]).includes(name);
}

function sourced(assignment: EnvAssignment): SourcedValue<string> {
  return {
    value: assignment.value,
    where: `line ${assignment.line}: ${assignment.name}`,
    mayBeIncomplete: assignment.mayBeIncomplete,
  };
}

function notReady(what: string): CredentialProblem {
  return new CredentialProblem(
    'NOT_READY',
    `${what}; the file seems to be still being written (if it is complete, add that line).`,
  );
}

function readRegion(vars: Map<CredentialName, EnvAssignment>): string | CredentialProblem | undefined {
  // AWS_REGION wins over AWS_DEFAULT_REGION, as in the AWS SDKs.
  const chosen = vars.get('AWS_REGION') ?? vars.get('AWS_DEFAULT_REGION');
  if (!chosen || chosen.value === '') return undefined;
  if (REGION.test(chosen.value)) return chosen.value;
  if (chosen.mayBeIncomplete) return notReady(`line ${chosen.line}: ${chosen.name} looks cut off`);
  return new CredentialProblem(
    'MALFORMED',
    `line ${chosen.line}: ${chosen.name} is not a region name (expected e.g. us-east-1).`,
  );
}

export function credentialsFromEnvAssignments(
  assignments: EnvAssignment[],
  now: Date,
): ParsedCredentialsFile | CredentialProblem {
  const vars = new Map<CredentialName, EnvAssignment>();
  const seen = new Map<string, number>();
  const notes: string[] = [];
  for (const assignment of assignments) {
    const first = seen.get(assignment.name);
    if (first !== undefined) {
      return new CredentialProblem(
        'MALFORMED',
        `line ${assignment.line}: ${displayName(assignment.name)} is set a second time (first on line ${first}); write the file with \`>\`, not append with \`>>\`.`,
      );
    }
    seen.set(assignment.name, assignment.line);
    if (isCredentialName(assignment.name)) vars.set(assignment.name, assignment);
  }
  for (const assignment of assignments) {
    if (isCredentialName(assignment.name)) continue;
    const where = `line ${assignment.line}: ${displayName(assignment.name)}`;
    const hint = hintForName(assignment.name, CREDENTIAL_NAMES);
    if (!hint) {
      notes.push(`${where} is not used from this file.`);
      continue;
    }
    // Misnamed where the real name is absent: the file is finished but unusable, not "being written".
    if (!seen.has(hint.meant)) return new CredentialProblem('MALFORMED', `${where} ${hint.reason}`);
    notes.push(`${where} ${hint.reason} It is not used.`);
  }

  // Empty values count as absent: export-credentials leaves AWS_SESSION_TOKEN out for long-term keys.
  const present = (name: CredentialName) => {
    const assignment = vars.get(name);
    return assignment && assignment.value !== '' ? assignment : undefined;
  };
  const accessKeyId = present('AWS_ACCESS_KEY_ID');
  if (!accessKeyId) return notReady('AWS_ACCESS_KEY_ID is missing');
  const secretAccessKey = present('AWS_SECRET_ACCESS_KEY');
  if (!secretAccessKey) return notReady('AWS_SECRET_ACCESS_KEY is missing');
  const sessionToken = present('AWS_SESSION_TOKEN');
  const expiration = present('AWS_CREDENTIAL_EXPIRATION');

  const credentials = validateCredentialFields(
    {
      accessKeyId: sourced(accessKeyId),
      secretAccessKey: sourced(secretAccessKey),
      ...(sessionToken && { sessionToken: sourced(sessionToken) }),
      ...(expiration && { expiration: sourced(expiration) }),
    },
    { now, sessionTokenName: 'AWS_SESSION_TOKEN', missingTokenCode: 'NOT_READY' },
  );
  if (credentials instanceof CredentialProblem) return credentials;
  const region = readRegion(vars);
  if (region instanceof CredentialProblem) return region;
  return { format: 'env', credentials, notes, ...(region && { region }) };
}
