import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_FILE_NAME } from '../../src/config/config-file.js';
import { addGitignoreEntry } from '../../src/config/gitignore.js';
import { initProject } from '../../src/config/init.js';
import { STARTER_CONFIG } from '../../src/config/starter-config.js';

const ENTRY = '.cred-supervisor';

describe('addGitignoreEntry', () => {
  it('creates content for a missing file', () => {
    const { text, changed } = addGitignoreEntry(null, ENTRY);
    expect(changed).toBe(true);
    expect(text.split('\n')).toContain('.cred-supervisor/');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('does not glue the entry to a last line without a newline', () => {
    const { text } = addGitignoreEntry('node_modules', ENTRY);
    expect(text.split('\n').slice(0, 1)).toEqual(['node_modules']);
    expect(text.split('\n')).toContain('.cred-supervisor/');
  });

  it('keeps CRLF line endings', () => {
    const { text } = addGitignoreEntry('node_modules\r\ndist\r\n', ENTRY);
    expect(text).toMatch(/dist\r\n#[^\n]*\r\n\.cred-supervisor\/\r\n$/);
  });

  it.each([
    '.cred-supervisor',
    '.cred-supervisor/',
    '/.cred-supervisor/',
    '  .cred-supervisor/  ',
    '.cred-supervisor/**',
  ])('leaves a file that already ignores it as %j', (line) => {
    const existing = `node_modules/\n${line}\ndist/\n`;
    expect(addGitignoreEntry(existing, ENTRY)).toEqual({ text: existing, changed: false });
  });

  it('is not fooled by a similar name', () => {
    expect(addGitignoreEntry('.cred-supervisor-old/\n', ENTRY).changed).toBe(true);
  });
});

describe('initProject', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-init-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes the starter config, a private state dir and the .gitignore entry', async () => {
    const result = await initProject(dir);
    expect(result).toEqual({
      configFile: path.join(dir, CONFIG_FILE_NAME),
      config: 'created',
      stateDir: path.join(dir, '.cred-supervisor'),
      stateDirCreated: true,
      gitignoreFile: path.join(dir, '.gitignore'),
      gitignore: 'created',
    });
    expect(fs.readFileSync(result.configFile, 'utf8')).toBe(STARTER_CONFIG);
    expect(fs.statSync(result.stateDir).mode & 0o777).toBe(0o700);
    expect(fs.readFileSync(result.gitignoreFile, 'utf8')).toMatch(/^\.cred-supervisor\/$/m);
  });

  it('changes nothing the second time', async () => {
    await initProject(dir);
    const config = path.join(dir, CONFIG_FILE_NAME);
    fs.writeFileSync(config, '{"profile": "mine"}');
    const gitignoreBefore = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
    const again = await initProject(dir);
    expect(again).toMatchObject({ config: 'exists', stateDirCreated: false, gitignore: 'unchanged' });
    expect(fs.readFileSync(config, 'utf8')).toBe('{"profile": "mine"}');
    expect(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe(gitignoreBefore);
  });

  it('appends to an existing .gitignore that lacks a final newline', async () => {
    fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\ndist/');
    const result = await initProject(dir);
    expect(result.gitignore).toBe('updated');
    const lines = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8').split('\n');
    expect(lines.slice(0, 2)).toEqual(['node_modules/', 'dist/']);
    expect(lines).toContain('.cred-supervisor/');
  });

  it('leaves an existing state dir as it is (never chmods a folder it did not make)', async () => {
    fs.mkdirSync(path.join(dir, '.cred-supervisor'), { mode: 0o755 });
    fs.chmodSync(path.join(dir, '.cred-supervisor'), 0o755);
    const result = await initProject(dir);
    expect(result).toMatchObject({ stateDirCreated: false });
    expect(fs.statSync(result.stateDir).mode & 0o777).toBe(0o755);
  });

  it('writes no config file when package.json#credSupervisor already is the config', async () => {
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ credSupervisor: { profile: 'dev' } }));
    const result = await initProject(dir);
    expect(result.config).toBe('in-package-json');
    expect(fs.existsSync(path.join(dir, CONFIG_FILE_NAME))).toBe(false);
  });
});
