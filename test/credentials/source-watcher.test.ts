// The watch on a credentials file whose folders do not exist yet, against real folders: however the
// folders and the file appear (`mkdir -p` at once, one folder at a time, the next folder while the
// watch of the one before is still starting), the file is reported.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type SourceChange, watchCredentialSources } from '../../src/credentials/source-watcher.js';
import { waitUntil } from '../support/wait-until.js';
import { tempDir } from './support/temp-dir.js';

async function watchMissing(dir: string) {
  const credentialsFile = path.join(dir, 'a', 'b', 'credentials');
  const changes: SourceChange[] = [];
  const watcher = watchCredentialSources({
    credentialsFile,
    profilePaths: [],
    onChange: (change) => changes.push(change),
    debounceMs: 20,
  });
  onTestFinished(() => watcher.close());
  await watcher.ready;
  return { credentialsFile, changes };
}

describe('source watcher: a credentials file in folders that do not exist yet', () => {
  // Gaps between the two folders, in ms: 0 is `mkdir -p`; the others land the second folder while
  // the watch of the first is being set up.
  it.each([0, 1, 2, 5, 10, 20, 50])(
    'second folder %i ms after the first: the file is reported',
    async (gapMs) => {
      for (let round = 0; round < 5; round++) {
        const dir = await tempDir();
        const { credentialsFile, changes } = await watchMissing(dir);
        await mkdir(path.join(dir, 'a'));
        if (gapMs > 0) await delay(gapMs);
        await mkdir(path.join(dir, 'a', 'b'));
        await writeFile(credentialsFile, 'AWS_ACCESS_KEY_ID=x\n', { mode: 0o600 });
        await waitUntil(() => changes.includes('file'), `the file to be reported (round ${round})`, 5000, 10);
        expect(changes).toContain('file');
      }
    },
  );
});
