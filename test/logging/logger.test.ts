import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogSink } from '../../src/logging/log-sink.js';
import { createLogger, reopenLogOnSignal, type SupervisorLogger } from '../../src/logging/logger.js';
import { Redactor } from '../../src/logging/redact.js';
import { accessKeyId, embedded, registeredToken, secretAccessKey, sessionToken } from './secrets.js';

let dir: string;
const opened: SupervisorLogger[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-logger-'));
});

afterEach(() => {
  for (const log of opened.splice(0)) log.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function open(file: string, extra: { warn?: (message: string) => void; redactor?: Redactor } = {}) {
  const log = createLogger({ file, level: 'debug', redactor: extra.redactor ?? new Redactor(), ...extra });
  opened.push(log);
  return log;
}

function lines(file: string): Record<string, unknown>[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

describe('createLogger', () => {
  it('writes JSON lines at once (nothing buffered to lose), to a file only its owner can read', () => {
    const file = path.join(dir, 'state', 'supervisor.log');
    const { logger } = open(file);
    logger.info({ account: '123456789012' }, 'credentials verified');
    logger.debug('probe scheduled');
    // Read right after the calls: a SIGKILL now would lose nothing.
    const written = lines(file);
    expect(written.map((line) => line.msg)).toEqual(['credentials verified', 'probe scheduled']);
    expect(written[0]).toMatchObject({ level: 30, account: '123456789012', pid: process.pid });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('honours the level', () => {
    const file = path.join(dir, 'x.log');
    const log = createLogger({ file, level: 'warn', redactor: new Redactor() });
    opened.push(log);
    log.logger.info('hidden');
    log.logger.warn('shown');
    expect(lines(file).map((line) => line.msg)).toEqual(['shown']);
  });

  it('keeps known secrets out of the file bytes, whichever way they came in', () => {
    const file = path.join(dir, 'secret.log');
    const redactor = new Redactor();
    const credentials = {
      accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      sessionToken: `FwoGZXIvYXdzE${'Zx9'.repeat(60)}`,
    };
    const endpointToken = 'q8Zt-0k_LmR3vW9yXc2b';
    redactor.registerSecret(endpointToken);
    const { logger } = open(file, { redactor });
    logger.info({ credentials }, 'loaded credentials');
    logger.info(`endpoint listening with token ${endpointToken}`);
    logger.child({ sessionToken: credentials.sessionToken }).warn('child binding');
    logger.error({ err: new Error(`STS rejected ${credentials.secretAccessKey}`) }, 'verify failed');
    logger.info({ deep: { a: { b: { c: { d: { Token: 'shortTok3n' } } } } } }, 'deep');

    const bytes = fs.readFileSync(file, 'utf8');
    expect(bytes).not.toContain(credentials.secretAccessKey);
    expect(bytes).not.toContain(credentials.sessionToken.slice(0, 40));
    expect(bytes).not.toContain(credentials.accessKeyId);
    expect(bytes).not.toContain(endpointToken);
    expect(bytes).not.toContain('shortTok3n');
    expect(bytes).toContain('ASIA…MPLE');
    expect(lines(file)).toHaveLength(5);
  });

  it('lets no generated secret reach the file, in messages or objects (property)', () => {
    const file = path.join(dir, 'property.log');
    const redactor = new Redactor();
    const { logger } = open(file, { redactor });
    const seen: string[] = [];
    const secret = fc.oneof(secretAccessKey(), sessionToken(), accessKeyId());
    fc.assert(
      fc.property(
        embedded(secret),
        embedded(secret),
        registeredToken(),
        fc.constantFrom('msg', 'object', 'error', 'child'),
        (inText, inObject, endpointToken, where) => {
          redactor.registerSecret(endpointToken);
          seen.push(inText.value, inObject.value, endpointToken);
          const payload = { detail: inObject.text, nested: { list: [inObject.text, endpointToken] } };
          if (where === 'msg') logger.info(payload, `${inText.text}${endpointToken}`);
          if (where === 'object') logger.warn({ ...payload, note: inText.text });
          if (where === 'error') logger.error({ err: new Error(inText.text), ...payload }, 'failed');
          if (where === 'child') logger.child({ binding: inText.text }).info(payload, 'from child');
        },
      ),
      { numRuns: 150 },
    );
    const bytes = fs.readFileSync(file, 'utf8');
    expect(lines(file).length).toBe(150);
    for (const value of seen) expect(bytes).not.toContain(value);
  });
});

describe('a log file that cannot be written', () => {
  it('does not stop the supervisor: one warning, then lines are dropped', () => {
    const blocker = path.join(dir, 'not-a-dir');
    fs.writeFileSync(blocker, '');
    const warnings: string[] = [];
    const { logger } = open(path.join(blocker, 'supervisor.log'), {
      warn: (message) => warnings.push(message),
    });
    for (let i = 0; i < 50; i++) logger.info({ i }, 'still supervising');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/cannot write the log file .*not-a-dir.*Supervision goes on/s);
  });

  it.runIf(fs.existsSync('/dev/full'))('survives a full disk (writes to /dev/full fail with ENOSPC)', () => {
    const warnings: string[] = [];
    const { logger } = open('/dev/full', { warn: (message) => warnings.push(message) });
    for (let i = 0; i < 20; i++) logger.error('disk full');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('ENOSPC');
  });

  it('starts logging again when reopened after the problem is fixed', () => {
    const blocked = path.join(dir, 'logs');
    fs.writeFileSync(blocked, '');
    const warnings: string[] = [];
    const file = path.join(blocked, 'supervisor.log');
    const log = open(file, { warn: (message) => warnings.push(message) });
    log.logger.info('lost');
    fs.rmSync(blocked);
    log.reopen();
    log.logger.info('kept');
    expect(lines(file).map((line) => line.msg)).toEqual([
      '1 log line was dropped while the log file could not be written',
      'kept',
    ]);
    expect(warnings).toHaveLength(1);
  });

  it('tries the file again by itself every retryMs, and says how many lines were lost', () => {
    const blocked = path.join(dir, 'full');
    fs.writeFileSync(blocked, '');
    const file = path.join(blocked, 'supervisor.log');
    let now = 1_000_000;
    const warnings: string[] = [];
    const sink = new LogSink({
      file,
      warn: (message) => warnings.push(message),
      retryMs: 30_000,
      now: () => now,
    });
    sink.write('{"msg":"lost 1"}\n');
    fs.rmSync(blocked);
    sink.write('{"msg":"lost 2"}\n');
    expect(sink.writable).toBe(false);
    now += 30_000;
    sink.write('{"msg":"kept"}\n');
    expect(sink.writable).toBe(true);
    sink.close();
    const written = lines(file);
    expect(written.map((line) => line.msg)).toEqual([
      '2 log lines were dropped while the log file could not be written',
      'kept',
    ]);
    expect(written[0]).toMatchObject({ level: 40, event: 'log-lines-dropped', dropped: 2 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('lines are dropped until it can be written again (tried every 30 s');
  });
});

describe('reopen', () => {
  it('follows the file name after logrotate moved the file away', () => {
    const file = path.join(dir, 'supervisor.log');
    const log = open(file);
    log.logger.info('before rotation');
    fs.renameSync(file, `${file}.1`);
    log.logger.info('still into the moved file');
    log.reopen();
    log.logger.info('after rotation');
    expect(lines(`${file}.1`).map((line) => line.msg)).toEqual([
      'before rotation',
      'still into the moved file',
    ]);
    expect(lines(file).map((line) => line.msg)).toEqual(['after rotation']);
  });

  it('happens on SIGUSR2 once asked for', async () => {
    const file = path.join(dir, 'supervisor.log');
    const log = open(file);
    const stop = reopenLogOnSignal(log);
    try {
      fs.renameSync(file, `${file}.1`);
      process.kill(process.pid, 'SIGUSR2');
      const deadline = Date.now() + 5000;
      while (!fs.existsSync(file) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      log.logger.info('after signal');
      expect(lines(file).map((line) => line.msg)).toEqual(['after signal']);
    } finally {
      stop();
    }
  });
});
