/**
 * Every AWS_* variable of the machine removed and HOME moved to a temp dir for one test, so the SDK
 * never reads the real ~/.aws nor calls real AWS: AWS_ENDPOINT_URL points at a closed loopback port
 * unless a test points a service at a fake.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { onTestFinished, vi } from 'vitest';
import { tempDir } from './temp-dir.js';

export interface IsolatedAwsEnv {
  home: string;
  configFile: string;
  credentialsFile: string;
  ssoCacheDir: string;
  writeConfig(text: string): Promise<void>;
  writeCredentials(text: string): Promise<void>;
}

// Port 9 (discard) on loopback: nothing listens, so a request that slipped through fails at once.
export const CLOSED_ENDPOINT = 'http://127.0.0.1:9';

export async function isolatedAwsEnv(): Promise<IsolatedAwsEnv> {
  const home = await tempDir('cred-supervisor-home-');
  const awsDir = path.join(home, '.aws');
  await mkdir(awsDir, { mode: 0o700 });
  for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) vi.stubEnv(name, undefined);
  const env: IsolatedAwsEnv = {
    home,
    configFile: path.join(awsDir, 'config'),
    credentialsFile: path.join(awsDir, 'credentials'),
    ssoCacheDir: path.join(awsDir, 'sso', 'cache'),
    writeConfig: (text) => writeFile(env.configFile, text, { mode: 0o600 }),
    writeCredentials: (text) => writeFile(env.credentialsFile, text, { mode: 0o600 }),
  };
  vi.stubEnv('HOME', home);
  vi.stubEnv('USERPROFILE', undefined);
  vi.stubEnv('AWS_CONFIG_FILE', env.configFile);
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', env.credentialsFile);
  vi.stubEnv('AWS_ENDPOINT_URL', CLOSED_ENDPOINT);
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  onTestFinished(() => {
    vi.unstubAllEnvs();
  });
  return env;
}
