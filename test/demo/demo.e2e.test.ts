import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { assertBuilt, CLI } from '../support/built-cli.js';

// The README's "run the main job" command, through the built binary, at test speed.
describe('cred-supervisor demo (built CLI)', () => {
  it('runs the whole loop with no AWS account: rotation, expiry, revocation, restarts', async () => {
    assertBuilt();
    // Real AWS settings in the caller's environment must not leak into the demo.
    const run = await execa(process.execPath, [CLI, 'demo'], {
      reject: false,
      all: true,
      timeout: 60_000,
      env: {
        CRED_SUPERVISOR_DEMO_SPEED: 'fast',
        AWS_PROFILE: 'someone-elses-profile',
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      },
    });
    const out = run.all ?? '';
    expect(run.exitCode, out).toBe(0);
    // Act 1: the running program picks up key 2 from the endpoint without a restart.
    const samePid = /same pid (\d+)/.exec(out)?.[1];
    expect(samePid, out).toBeDefined();
    const lines = out.split('\n').filter((l) => l.startsWith('[demo-app '));
    const keysUsed = new Set(lines.map((l) => /signed with (ASIA…\w{4})/.exec(l)?.[1]).filter(Boolean));
    expect(keysUsed.size, out).toBeGreaterThanOrEqual(3);
    // Act 2: stopped before expiry, the prompt names the file and the export-credentials one-liner.
    expect(out).toMatch(
      /Reason: +the credentials expire (in \S+ \(at [\d:]+\)|now \(at [\d:]+\)) and no fresher ones/,
    );
    expect(out).toMatch(/aws configure export-credentials --format env > \S+\.cred-supervisor\/credentials/);
    // Act 3: revocation noticed from the program's own error line, confirmed, then restarted.
    expect(out).toMatch(/deploy #\d+ failed: InvalidClientTokenId/);
    // ...and it was that line that got it stopped, not the next scheduled probe: the demo program's
    // lines must not look like the Lambda log lines cdk watch relays (`[group] 12:04:10 message`),
    // whose errors are somebody else's.
    expect(out).toContain('The program printed InvalidClientTokenId; the supervisor confirmed it');
    expect(out).toMatch(/Running again \(pid \d+, 2 restarts in all\)/);
    // The narration follows the program: the app's line signed with key 2 comes before "now signs with key 2".
    const key2 = /Writing key 2 \((ASIA…\w{4})/.exec(out)?.[1] as string;
    expect(key2, out).toBeDefined();
    const appLine = out.indexOf(`signed with ${key2}`);
    expect(appLine, out).toBeGreaterThan(-1);
    expect(appLine, out).toBeLessThan(out.indexOf('The running program now signs with key 2'));
    // It stops itself: no hint to force a stop nobody asked for.
    expect(out).not.toMatch(/again to force/);
    // No secret access key or session token on the terminal: only masked key ids.
    expect(out).not.toMatch(/AWS_SECRET_ACCESS_KEY=|AWS_SESSION_TOKEN=/);
  }, 60_000);
});
