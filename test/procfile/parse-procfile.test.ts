import { describe, expect, it } from 'vitest';
import { buildPrefixes, prefixColour } from '../../src/procfile/output-prefix.js';
import { parseProcfile } from '../../src/procfile/parse-procfile.js';
import { parseProcessConfig } from '../../src/procfile/process-config.js';

describe('parseProcfile', () => {
  it('reads foreman lines, comments and blank lines, keeping the order and each line number', () => {
    const text = [
      '# the dev loop',
      'cdk: npx cdk watch --hotswap-fallback',
      '',
      'logs:aws logs tail /aws/lambda/Fn --follow',
      '  web_2 :  PORT=3000 npm run dev  ',
      'poll-queue: node poll.js | tee poll.log',
    ].join('\n');
    const result = parseProcfile(text, 'Procfile.dev');
    expect(result).toEqual({
      ok: true,
      processes: [
        {
          name: 'cdk',
          command: 'npx cdk watch --hotswap-fallback',
          restart: 'on-failure',
          origin: 'Procfile.dev:2',
        },
        {
          name: 'logs',
          command: 'aws logs tail /aws/lambda/Fn --follow',
          restart: 'on-failure',
          origin: 'Procfile.dev:4',
        },
        { name: 'web_2', command: 'PORT=3000 npm run dev', restart: 'on-failure', origin: 'Procfile.dev:5' },
        {
          name: 'poll-queue',
          command: 'node poll.js | tee poll.log',
          restart: 'on-failure',
          origin: 'Procfile.dev:6',
        },
      ],
    });
  });

  it('keeps colons inside the command (URLs, ports)', () => {
    const result = parseProcfile('api: curl http://127.0.0.1:3000/health', 'Procfile');
    expect(result.ok && result.processes[0]?.command).toBe('curl http://127.0.0.1:3000/health');
  });

  it('accepts CRLF line ends and a byte-order mark', () => {
    const result = parseProcfile('\uFEFFa: one\r\nb: two\r\n', 'Procfile');
    expect(result.ok && result.processes.map((p) => [p.name, p.command])).toEqual([
      ['a', 'one'],
      ['b', 'two'],
    ]);
  });

  it('refuses an empty file or one with only comments, naming the file and the fix', () => {
    for (const text of ['', '\n\n', '# nothing yet\n']) {
      const result = parseProcfile(text, 'Procfile.dev');
      expect(result.ok).toBe(false);
      if (!result.ok)
        expect(result.problems).toEqual([
          expect.stringMatching(/^Procfile\.dev: no process is declared.*e\.g\. `cdk: /),
        ]);
    }
  });

  it('refuses a line without `name:`, naming file and line', () => {
    const result = parseProcfile('cdk: cdk watch\nnpm run dev\n', 'Procfile.dev');
    expect(result).toEqual({
      ok: false,
      problems: [expect.stringMatching(/^Procfile\.dev:2: this line has no `name:` in front of its command/)],
    });
  });

  it('refuses invalid and duplicate names and an empty command, every problem at once', () => {
    const result = parseProcfile('my app: npm start\ncdk: cdk watch\ncdk: cdk synth\nlogs:\n', 'Procfile');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(3);
    expect(result.problems[0]).toMatch(
      /^Procfile:1: the name `my app` may hold only letters.*e\.g\. `my-app`/,
    );
    expect(result.problems[1]).toMatch(/^Procfile:3: the name `cdk` is already used on line 2/);
    expect(result.problems[2]).toMatch(/^Procfile:4: `logs` has no command after the colon/);
  });
});

describe('parseProcessConfig', () => {
  it('takes strings and objects, defaulting restart to on-failure', () => {
    const result = parseProcessConfig({
      cdk: 'cdk watch --hotswap-fallback',
      web: { command: 'npm run dev', cwd: 'web', delivery: 'env', restart: 'always' },
    });
    expect(result).toEqual({
      ok: true,
      processes: [
        {
          name: 'cdk',
          command: 'cdk watch --hotswap-fallback',
          restart: 'on-failure',
          origin: 'config processes.cdk',
        },
        {
          name: 'web',
          command: 'npm run dev',
          cwd: 'web',
          delivery: 'env',
          restart: 'always',
          origin: 'config processes.web',
        },
      ],
    });
  });

  it('names the entry and the expected shape for a wrong type, never echoing a string value', () => {
    const result = parseProcessConfig(
      { web: 42, api: { command: 'x', restart: 'sometimes' }, 'bad name': 'x' },
      'cred-supervisor.json',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]).toMatch(
      /^cred-supervisor\.json processes\.web: must be a command string, or an object.*got a number/,
    );
    expect(result.problems[1]).toMatch(/^cred-supervisor\.json processes\.api: must be/);
    expect(result.problems[2]).toMatch(/processes\.bad name: the name may hold only letters/);
    expect(result.problems.join('\n')).not.toContain('sometimes');
  });

  it('refuses a non-object and an empty object', () => {
    expect(parseProcessConfig(['cdk watch'])).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/got an array/)],
    });
    expect(parseProcessConfig({})).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/is empty/)],
    });
  });
});

describe('output prefixes', () => {
  it('pads names to the longest so columns line up', () => {
    const prefixes = buildPrefixes(['cdk', 'logs-tail', 'web'], { colour: false });
    expect([...prefixes.values()]).toEqual(['cdk       | ', 'logs-tail | ', 'web       | ']);
  });

  it('gives each name its own colour and resets after the prefix', () => {
    const prefixes = buildPrefixes(['a', 'b'], { colour: true });
    expect(prefixes.get('a')).toBe('\u001b[36ma | \u001b[0m');
    expect(prefixes.get('b')).toBe('\u001b[33mb | \u001b[0m');
  });

  it('honours NO_COLOR over FORCE_COLOR, FORCE_COLOR over the terminal', () => {
    expect(prefixColour({ NO_COLOR: '1', FORCE_COLOR: '1' }, true)).toBe(false);
    expect(prefixColour({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(prefixColour({ FORCE_COLOR: '0' }, true)).toBe(false);
    expect(prefixColour({}, true)).toBe(true);
    expect(prefixColour({}, false)).toBe(false);
  });
});
