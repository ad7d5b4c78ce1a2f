/**
 * The Procfile.dev `cred-supervisor init --procfile` writes for a CDK project. Pure. The CDK line runs
 * the project's own CLI by its path, never through `npx`: npx ignores SIGINT for 20 s and more and
 * leaves the real cdk behind on SIGTERM, so a stop could not be clean; and where the project has no
 * local CLI, npx would fetch one of whatever version.
 */
export const DEFAULT_PROCFILE_NAME = 'Procfile.dev';

export function procfileTemplate(facts: { localCdk: boolean }): string {
  const cdk = facts.localCdk ? './node_modules/.bin/cdk' : 'cdk';
  return [
    '# cred-supervisor watch --procfile Procfile.dev: every line runs under one credential session.',
    '# `name: command`, run by `sh -c` (env assignments and pipes work); `#` starts a comment.',
    '# A rotation reaches every AWS SDK process through the endpoint without a restart.',
    '# The CDK CLI by its path, not `npx cdk`: through npx, Ctrl+C waits 20 s and SIGTERM orphans cdk.',
    `cdk: ${cdk} watch --hotswap-fallback`,
    '# logs: aws logs tail /aws/lambda/MyFunction --follow',
    '# api: npm run dev',
    '',
  ].join('\n');
}
