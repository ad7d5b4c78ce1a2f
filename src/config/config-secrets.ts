import { isSecretKeyName, scrubSecrets } from '../logging/redact.js';

/** Credential fields besides the secret ones: an access key id alone still means "credentials here". */
const CREDENTIAL_KEYS = new Set(['accesskeyid', 'awsaccesskeyid', 'credentials']);

const ADVICE =
  'Secrets never go in the config: it is meant to be committed. Write credentials to the ' +
  'credentials file (.cred-supervisor/credentials, gitignored, mode 600) or use `profile`.';

/**
 * Problems for every credential field or secret-looking value in a config object, at any depth.
 * The value itself is never repeated, only where it is.
 */
export function findSecretsInConfig(config: unknown): string[] {
  const problems: string[] = [];
  walk(config, [], problems);
  return problems;
}

function walk(value: unknown, where: string[], problems: string[]): void {
  if (typeof value === 'string') {
    if (where.length > 0 && scrubSecrets(value) !== value) {
      problems.push(`\`${where.join('.')}\` holds something that looks like an AWS key or token. ${ADVICE}`);
    }
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const entries = Array.isArray(value)
    ? value.map((item, index) => [String(index), item] as const)
    : Object.entries(value);
  for (const [key, item] of entries) {
    const path = [...where, key];
    const normalized = key.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
    if (isSecretKeyName(key) || CREDENTIAL_KEYS.has(normalized)) {
      problems.push(`\`${path.map(scrubSecrets).join('.')}\` is a credential field. ${ADVICE}`);
      continue;
    }
    walk(item, path, problems);
  }
}
