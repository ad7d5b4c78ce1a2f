/**
 * A throw-away project directory for one supervisor: its own `.cred-supervisor/` with a credentials
 * file, an empty HOME and AWS config paths that do not exist (nothing of the person's own AWS setup
 * can leak in), and STS pointed at the loopback stand-in.
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The file in the format `aws configure export-credentials --format env` prints. */
export function credentialsFileText(key) {
  const lines = [
    `export AWS_ACCESS_KEY_ID=${key.accessKeyId}`,
    `export AWS_SECRET_ACCESS_KEY=${key.secretAccessKey}`,
  ];
  if (key.sessionToken) lines.push(`export AWS_SESSION_TOKEN=${key.sessionToken}`);
  if (key.expiration) lines.push(`export AWS_CREDENTIAL_EXPIRATION=${key.expiration.toISOString()}`);
  return `${lines.join('\n')}\n`;
}

/** An environment with no AWS setup of its own, talking to `stsUrl` for STS. */
export function isolatedEnv(dir, stsUrl) {
  return {
    PATH: process.env.PATH,
    HOME: dir,
    LANG: 'C.UTF-8',
    AWS_CONFIG_FILE: path.join(dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-aws-credentials'),
    // Both: SDK v3 children read only AWS_REGION (the neutral config the endpoint delivery gives
    // them carries a region only when the supervisor was given one), the AWS CLI reads either.
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    ...(stsUrl ? { AWS_ENDPOINT_URL_STS: stsUrl } : {}),
    // The SDK's "Node 20 support ends" notice, printed by every SDK child on Node 20: noise here.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/**
 * Creates the directory. `key` (a LocalSts key) is written as the credentials file if given.
 * Returns `{ dir, stateDir, credentialsFile, env, writeCredentials(key), cleanup() }`.
 */
export async function createProject({ sts, key, name = 'project' } = {}) {
  const dir = await mkdtemp(path.join(os.tmpdir(), `cred-supervisor-bench-${name}-`));
  const stateDir = path.join(dir, '.cred-supervisor');
  const credentialsFile = path.join(stateDir, 'credentials');
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  let writes = 0;
  const project = {
    dir,
    stateDir,
    credentialsFile,
    env: isolatedEnv(dir, sts?.url),
    /**
     * Rewrites the credentials file the way a careful tool does (write a temporary file, then rename
     * over the old one), so the supervisor never reads half a file. Resolves once renamed, with the
     * `process.hrtime.bigint()` of the rename.
     */
    async writeCredentials(nextKey) {
      const temporary = path.join(stateDir, `.credentials.${process.pid}.${writes++}.tmp`);
      await writeFile(temporary, credentialsFileText(nextKey), { mode: 0o600 });
      await rename(temporary, credentialsFile);
      return process.hrtime.bigint();
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
  if (key) await project.writeCredentials(key);
  return project;
}
