/**
 * The watchdog process's program, run with `node -e`. Plain JavaScript in a string so it ships inside
 * the compiled package (and runs under the tests) without a separate build step.
 *
 * argv: <pgid> <killAfterMs> <pollMs>. Its stdin is a pipe from the supervisor: the kernel closes the
 * supervisor's end whenever the supervisor dies, even by SIGKILL, so EOF on stdin is an instant and
 * reliable "the supervisor is gone". A change of parent pid (re-parented to init) is the backup.
 * On either, the child's group gets SIGTERM, then SIGKILL after killAfterMs, and the watchdog exits.
 * The line `disarm` on stdin means the supervisor stopped the child itself: exit without signalling.
 * It also exits by itself once the group is gone.
 */
export const WATCHDOG_SCRIPT = String.raw`
'use strict';
const pgid = Number(process.argv[1]);
const killAfterMs = Number(process.argv[2]);
const pollMs = Number(process.argv[3]);
if (!Number.isInteger(pgid) || pgid <= 1 || pgid === process.pid) process.exit(2);
process.title = 'cred-supervisor-watchdog';
// In its own session already; also deaf to the terminal's signals, which are the supervisor's to handle.
for (const signal of ['SIGINT', 'SIGHUP', 'SIGPIPE']) process.on(signal, () => {});

const parentPid = process.ppid;
const groupAlive = () => {
  try { process.kill(-pgid, 0); return true; } catch (error) { return error.code === 'EPERM'; }
};
const signalGroup = (signal) => { try { process.kill(-pgid, signal); } catch {} };

let killing = false;
function killGroup() {
  if (killing) return;
  killing = true;
  clearInterval(watch);
  signalGroup('SIGTERM');
  const startedAt = Date.now();
  const confirm = setInterval(() => {
    if (!groupAlive()) process.exit(0);
    if (Date.now() - startedAt >= killAfterMs) {
      clearInterval(confirm);
      signalGroup('SIGKILL');
      setTimeout(() => process.exit(0), 200);
    }
  }, 50);
}

let received = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (text) => {
  received += text;
  if (received.includes('disarm\n')) process.exit(0);
});
process.stdin.on('end', killGroup);
process.stdin.on('error', killGroup);

const watch = setInterval(() => {
  if (process.ppid !== parentPid) return killGroup();
  if (!groupAlive()) process.exit(0);
}, pollMs);
`;
