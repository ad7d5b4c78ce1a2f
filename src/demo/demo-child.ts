#!/usr/bin/env node
/**
 * The demo's stand-in for `cdk watch`: a real AWS SDK v3 program that calls STS GetCallerIdentity
 * every second through the SDK's default credential chain, as the CDK CLI does, and prints one line
 * per call. Its failures are printed the way SDK programs print them (`ExpiredToken: ...`), so the
 * supervisor's output detector sees exactly what it would see from a real tool.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

const intervalMs = Number(process.env.DEMO_CHILD_INTERVAL_MS ?? 1000);
const client = new STSClient({});
let signedWith: string | undefined;
// Runs after signing: records which access key id really signed the request (only its ends are shown).
client.middlewareStack.add(
  (next) => async (args) => {
    const headers = (args.request as { headers?: Record<string, string> }).headers ?? {};
    signedWith = /Credential=([^/]+)\//.exec(headers.authorization ?? '')?.[1];
    return next(args);
  },
  { step: 'deserialize', name: 'demoRecordSigningKey' },
);

const mask = (id: string | undefined) => (id ? `${id.slice(0, 4)}…${id.slice(-4)}` : 'none');
const clock = () => new Date().toTimeString().slice(0, 8);

process.on('SIGINT', () => {
  process.stdout.write(`[demo-app ${clock()}] got SIGINT, shutting down\n`);
  process.exit(130);
});

let call = 0;
process.stdout.write(
  `[demo-app ${clock()}] started (pid ${process.pid}), deploying every ${intervalMs} ms\n`,
);
for (;;) {
  call += 1;
  try {
    const identity = await client.send(new GetCallerIdentityCommand({}));
    process.stdout.write(
      `[demo-app ${clock()}] deploy #${call} ok: account ${identity.Account}, signed with ${mask(signedWith)}\n`,
    );
  } catch (error) {
    const err = error as Error;
    process.stdout.write(`[demo-app ${clock()}] deploy #${call} failed: ${err.name}: ${err.message}\n`);
  }
  await new Promise((resolve) => setTimeout(resolve, intervalMs));
}
