// The child's AWS config files are neutralised with endpoint delivery, and the JS SDK reads neither
// AWS_DEFAULT_REGION nor (then) ~/.aws/config: the region the person set up must still reach it.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type FakeSts, useFakeSts } from '../support/fake-sts.js';
import { startWatch } from '../support/watch-session.js';
import { createProject, masked } from './project.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/sdk-child.mjs', import.meta.url));

let sts: FakeSts;
useFakeSts((started) => {
  sts = started;
});

describe('the region reaches an SDK child through the neutral config', () => {
  it.each([
    ['AWS_DEFAULT_REGION only', { AWS_DEFAULT_REGION: 'eu-west-1' }, undefined],
    ['the region of [default] in ~/.aws/config only', {}, '[default]\nregion = eu-west-1\n'],
  ])('%s', async (_name, regionEnv, homeConfig) => {
    const key = sts.issueKey();
    const project = await createProject({ decoy: sts.issueKey(), stsUrl: sts.url });
    await project.writeCredentials(key);
    if (homeConfig) await writeFile(path.join(project.home, '.aws', 'config'), homeConfig);
    const watch = startWatch(
      {
        ...project,
        env: {
          ...project.env,
          SDK_CHILD_INTERVAL_MS: '200',
          ...regionEnv,
        },
      },
      {
        command: null,
        args: ['--', process.execPath, FIXTURE],
      },
    );
    await watch.waitFor(
      (o) => o.includes(`CALL ok account=${key.account} key=${masked(key.accessKeyId)}`),
      'the child calling STS with a region',
    );
    expect(watch.output).not.toMatch(/Region is missing/);
    expect(await watch.interrupt()).toBe(130);
  });
});
