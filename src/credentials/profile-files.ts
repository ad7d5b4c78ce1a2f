/**
 * Where a profile's state lives on disk, computed the way the AWS SDK does it (AWS_CONFIG_FILE,
 * AWS_SHARED_CREDENTIALS_FILE, `~/` expanded, HOME before the OS home), so the supervisor watches the
 * same files the SDK reads: `aws sso login` writes the SSO cache, `aws configure` the two files.
 */
import { homedir } from 'node:os';
import path from 'node:path';

export interface ProfileFilePaths {
  configFile: string;
  credentialsFile: string;
  /** `aws sso login` writes its token here (one JSON file per session). */
  ssoCacheDir: string;
}

function homeOf(env: NodeJS.ProcessEnv): string {
  if (env.HOME) return env.HOME;
  if (env.USERPROFILE) return env.USERPROFILE;
  if (env.HOMEPATH) return `${env.HOMEDRIVE ?? `C:${path.sep}`}${env.HOMEPATH}`;
  return homedir();
}

function expandHome(file: string, home: string): string {
  return file.startsWith('~/') ? path.join(home, file.slice(2)) : file;
}

export function profileFilePaths(env: NodeJS.ProcessEnv = process.env): ProfileFilePaths {
  const home = homeOf(env);
  return {
    configFile: expandHome(env.AWS_CONFIG_FILE || path.join(home, '.aws', 'config'), home),
    credentialsFile: expandHome(
      env.AWS_SHARED_CREDENTIALS_FILE || path.join(home, '.aws', 'credentials'),
      home,
    ),
    ssoCacheDir: path.join(home, '.aws', 'sso', 'cache'),
  };
}

/** What to watch for a profile's credentials to change: both files and the SSO cache directory. */
export function profileFilesToWatch(env: NodeJS.ProcessEnv = process.env): string[] {
  const { configFile, credentialsFile, ssoCacheDir } = profileFilePaths(env);
  return [configFile, credentialsFile, ssoCacheDir];
}
