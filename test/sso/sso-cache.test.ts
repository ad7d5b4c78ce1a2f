import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { readSsoCache, type SsoTokenToCache, ssoCacheText, writeSsoCache } from '../../src/sso/sso-cache.js';
import { ssoCacheFile, ssoCacheKey } from '../../src/sso/sso-cache-path.js';
import { tempDir } from '../credentials/support/temp-dir.js';

const TOKEN: SsoTokenToCache = {
  startUrl: 'https://corp.awsapps.com/start',
  region: 'eu-west-1',
  accessToken: 'aoa-access-token-value',
  expiresAt: new Date('2026-12-05T01:02:03.456Z'),
  clientId: 'client-id-value',
  clientSecret: 'client-secret-value',
  registrationExpiresAt: new Date('2027-03-05T00:00:00Z'),
  refreshToken: 'aor-refresh-token-value',
};
const LOGIN = 'aws sso login --sso-session corp';

// botocore's own serializer for the SSO cache (the AWS CLI v2 uses the same json.dumps + strftime).
const BOTOCORE_DUMPS = `
import json, sys, datetime
from botocore.tokens import _sso_json_dumps
t = json.loads(sys.stdin.read())
for k in ("expiresAt", "registrationExpiresAt"):
    t[k] = datetime.datetime.fromisoformat(t[k].replace("Z", "+00:00"))
sys.stdout.write(_sso_json_dumps(t))
`;

describe('the SSO cache file', () => {
  it('is named by the SHA-1 of the session name, or of the start URL for a legacy profile', () => {
    // hashlib.sha1(b'corp') and hashlib.sha1(b'https://corp.awsapps.com/start'), computed by Python.
    expect(ssoCacheKey({ kind: 'session', sessionName: 'corp' })).toBe(
      'ee0bfd2552fbd840c02cc48b6e823320543c450f',
    );
    expect(ssoCacheKey({ kind: 'legacy', startUrl: TOKEN.startUrl })).toBe(
      'a51746d4aa793ae07b25e90c3a5db96fc7832bd7',
    );
    expect(ssoCacheFile({ kind: 'legacy', startUrl: TOKEN.startUrl }, { HOME: '/h' })).toMatch(
      /^\/h\/\.aws\/sso\/cache\/a51746d4aa793ae07b25e90c3a5db96fc7832bd7\.json$/,
    );
  });

  it('is written byte for byte as botocore writes it', async () => {
    const input = JSON.stringify({
      ...TOKEN,
      expiresAt: '2026-12-05T01:02:03Z',
      registrationExpiresAt: '2027-03-05T00:00:00Z',
    });
    const python = await execa('python3', ['-c', BOTOCORE_DUMPS], { input });
    expect(ssoCacheText(TOKEN)).toBe(python.stdout);
  });

  it('is written mode 600 and read back; a file the JS SDK rewrote after a refresh reads too', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'sso', 'cache', 'x.json');
    await writeSsoCache(file, TOKEN);
    const entry = await readSsoCache(file, { loginCommand: LOGIN });
    expect(entry?.token.refreshToken).toBe(TOKEN.refreshToken);
    expect(entry?.expiresAt.toISOString()).toBe('2026-12-05T01:02:03.000Z');

    // @aws-sdk/token-providers rewrites with JSON.stringify(…, null, 2), ISO times with milliseconds.
    await writeFile(
      file,
      JSON.stringify({ ...entry?.token, expiresAt: TOKEN.expiresAt.toISOString() }, null, 2),
    );
    expect((await readSsoCache(file, { loginCommand: LOGIN }))?.expiresAt).toEqual(TOKEN.expiresAt);
  });

  it('missing means not logged in', async () => {
    const dir = await tempDir();
    await expect(readSsoCache(path.join(dir, 'none.json'), { loginCommand: LOGIN })).resolves.toBeUndefined();
  });

  describe('refuses, with the fix and never a token,', () => {
    async function cacheWith(text: string, mode = 0o600) {
      const dir = await tempDir();
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, 'c.json');
      await writeFile(file, text, { mode });
      await chmod(file, mode);
      return file;
    }

    it('a corrupt (half-written) file', async () => {
      const file = await cacheWith('{"accessToken": "aoa-secret-value", "expiresAt": "2026-');
      const problem = await readSsoCache(file, { loginCommand: LOGIN }).catch((e: unknown) => e);
      expect(problem).toMatchObject({
        code: 'MALFORMED',
        problem: `SSO cache file ${file} is not valid JSON (corrupt or half-written).`,
        fix: `Remove it (rm ${file}) and log in again: ${LOGIN}`,
      });
      expect(String(problem)).not.toContain('aoa-secret-value');
    });

    it('a file without an access token or with a bad expiry, naming the field', async () => {
      const file = await cacheWith(JSON.stringify({ accessToken: 'aoa-secret-value', expiresAt: 'soon' }));
      const problem = await readSsoCache(file, { loginCommand: LOGIN }).catch((e: unknown) => e);
      expect(problem).toMatchObject({
        code: 'MALFORMED',
        problem: `SSO cache file ${file} has no usable expiresAt.`,
      });
      expect(String(problem)).not.toContain('aoa-secret-value');
    });

    it('a file another user owns', async () => {
      const file = await cacheWith(ssoCacheText(TOKEN));
      const me = process.getuid?.() ?? 0;
      await expect(readSsoCache(file, { loginCommand: LOGIN, uid: me + 1 })).rejects.toMatchObject({
        code: 'UNSAFE_PERMISSIONS',
        problem: `SSO cache file ${file} belongs to another user (uid ${me}, you are ${me + 1}).`,
      });
    });

    it('a file other users can write', async () => {
      const file = await cacheWith(ssoCacheText(TOKEN), 0o666);
      await expect(readSsoCache(file, { loginCommand: LOGIN })).rejects.toMatchObject({
        code: 'UNSAFE_PERMISSIONS',
        problem: `SSO cache file ${file} can be written by other users (mode 666).`,
      });
    });
  });
});
