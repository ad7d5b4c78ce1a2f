import { describe, expect, it } from 'vitest';
import { parseProcfile } from '../../src/procfile/parse-procfile.js';
import { procfileTemplate } from '../../src/procfile/procfile-template.js';

describe('procfileTemplate', () => {
  it('is a valid Procfile whose only active line is the project CDK CLI by its path, never npx', () => {
    const parsed = parseProcfile(procfileTemplate({ localCdk: true }), 'Procfile.dev');
    expect(parsed).toMatchObject({
      ok: true,
      processes: [{ name: 'cdk', command: './node_modules/.bin/cdk watch --hotswap-fallback' }],
    });
    expect(procfileTemplate({ localCdk: true })).not.toMatch(/^[^#]*npx/m);
  });

  it('falls back to cdk on PATH when the project has no local CLI', () => {
    const parsed = parseProcfile(procfileTemplate({ localCdk: false }), 'Procfile.dev');
    expect(parsed).toMatchObject({ ok: true, processes: [{ command: 'cdk watch --hotswap-fallback' }] });
  });
});
