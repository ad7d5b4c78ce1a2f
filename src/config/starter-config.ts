import { CONFIG_FILE_NAME } from './config-file.js';

/**
 * The commented config `cred-supervisor init` writes. Every option is listed with its default,
 * commented out, so the file documents itself and changes nothing until a line is uncommented.
 */
export const STARTER_CONFIG = `// ${CONFIG_FILE_NAME}: options for cred-supervisor in this project.
// Command-line flags override these. JSON with comments; paths are relative to this folder.
//
// Secrets never go here (this file is meant to be committed): cred-supervisor refuses a config with
// credentials in it. Put fresh credentials in .cred-supervisor/credentials (readable by you only), e.g.
//   (umask 077; aws configure export-credentials --format env > .cred-supervisor/credentials)   # AWS CLI v2
//   (umask 077; aws sts get-session-token --output json > .cred-supervisor/credentials)         # AWS CLI v1
// or name an AWS profile below.
{
  // AWS profile to take credentials from (SSO, assume-role with MFA, credential_process, static).
  // "profile": "dev",

  // The file you rewrite with fresh credentials (env lines or credential_process / sts JSON).
  // "credentialsFile": ".cred-supervisor/credentials",

  // "region": "eu-west-1",

  // Refuse credentials for any other account: 12 digits, in quotes.
  // "expectAccount": "123456789012",

  // How the command gets credentials: "endpoint" (a local credentials endpoint; new credentials
  // reach it without a restart), "env" (environment variables) or "profile" (AWS_PROFILE).
  // "delivery": "endpoint",

  // Refresh or ask for credentials this long before they expire. Durations: 500ms, 30s, 10m, 1h.
  // "refreshBefore": "10m",

  // When to check with STS that the credentials still work (node-cron, optional seconds field first).
  // "checkSchedule": "* * * * *",

  // How long the command gets to stop (SIGINT, then SIGTERM) before it is killed.
  // "stopGrace": "5s",

  // Lock, control socket, state and log live here.
  // "stateDir": ".cred-supervisor",
  // "logFile": ".cred-supervisor/supervisor.log",
  // "logLevel": "info",

  // Run when credentials are needed, e.g. a desktop notification.
  // "notifyCommand": "notify-send cred-supervisor 'AWS credentials needed'",

  // What \`cred-supervisor watch\` runs when no command is given after --.
  // "command": ["cdk", "watch", "--hotswap-fallback"],

  // Or several commands under one credential session (like a Procfile; \`watch --procfile FILE\` too).
  // "processes": { "cdk": "./node_modules/.bin/cdk watch --hotswap-fallback", "api": { "command": "npm run dev", "restart": "always" } }
}
`;
