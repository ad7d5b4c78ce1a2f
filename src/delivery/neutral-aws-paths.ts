/**
 * The AWS shared config/credentials files an `endpoint` child is pointed at instead of ~/.aws: they
 * hold no credentials, so nothing in them outranks the endpoint in the SDK's default chain (a
 * `[default]` profile with keys in ~/.aws/credentials would), but they keep the region.
 */
import path from 'node:path';

export interface NeutralAwsConfigPaths {
  /** For `AWS_CONFIG_FILE`. */
  configFile: string;
  /** For `AWS_SHARED_CREDENTIALS_FILE`. */
  credentialsFile: string;
}

export function neutralAwsConfigPaths(dir: string): NeutralAwsConfigPaths {
  const absolute = path.resolve(dir);
  return {
    configFile: path.join(absolute, 'aws-config'),
    credentialsFile: path.join(absolute, 'aws-credentials'),
  };
}

// Region names are the only thing written into the ini file: restricting the alphabet keeps a
// crafted value from adding lines (keys, credential_process) to it.
const REGION = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function validateRegion(region: string): string {
  if (!REGION.test(region)) {
    throw new TypeError(`Expected \`region\` to be an AWS region such as \`eu-west-1\`, got \`${region}\`.`);
  }
  return region;
}

export function renderNeutralAwsConfig(region?: string): string {
  const header = '# Written by cred-supervisor: credentials come from its local endpoint, not from here.\n';
  if (region === undefined) return header;
  return `${header}[default]\nregion = ${validateRegion(region)}\n`;
}

export function renderNeutralAwsCredentials(): string {
  return '# Written by cred-supervisor: intentionally without credentials, so its local endpoint is used.\n';
}
