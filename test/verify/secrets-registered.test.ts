/**
 * Secrets are registered with the redactor where they enter the program (resolution), so `check` —
 * which never went through the supervisor that used to register them — has them removed too. The
 * secret here has no secret-like shape (letters only, 27 characters), so only registration catches it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultOptions } from '../../src/config/options.js';
import { scrubSecrets } from '../../src/logging/redact.js';
import { resolveAndVerify } from '../../src/verify/resolve-and-verify.js';
import { FakeSts } from '../support/fake-sts.js';

let sts: FakeSts;
let dir: string;

beforeEach(async () => {
  sts = await FakeSts.start();
  dir = await mkdtemp(path.join(os.tmpdir(), 'cred-supervisor-secrets-'));
});
afterEach(async () => {
  await sts.close();
  await rm(dir, { recursive: true, force: true });
});

describe('check registers the secrets it resolves', () => {
  it('a shapeless secret read by check is scrubbed from later output', async () => {
    const key = sts.issueKey({ prefix: 'AKIA' });
    const secret = 'plainlettersonlysecretvalue';
    const file = path.join(dir, 'credentials');
    await writeFile(file, `AWS_ACCESS_KEY_ID=${key.accessKeyId}\nAWS_SECRET_ACCESS_KEY=${secret}\n`, {
      mode: 0o600,
    });
    expect(scrubSecrets(`echoed: ${secret}`)).toContain(secret); // unknown so far: no shape matches it
    await resolveAndVerify({
      options: { ...defaultOptions(dir), credentialsFile: file },
      env: {
        AWS_ENDPOINT_URL_STS: sts.url,
        AWS_CONFIG_FILE: path.join(dir, 'none'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none'),
        HOME: dir,
      },
      cwd: dir,
    });
    expect(scrubSecrets(`echoed: ${secret}`)).not.toContain(secret);
  });
});
