/**
 * The watchdog's program, run with `/bin/sh -c`: a POSIX shell of about a megabyte instead of a second
 * Node process of forty.
 *
 * Positional parameters: <pgid> <kill-after ticks of 50 ms> <poll seconds> [file...]. Its stdin is a
 * pipe from the supervisor: the kernel closes the supervisor's end whenever the supervisor dies, even
 * by SIGKILL, so EOF on stdin is an instant and reliable "the supervisor is gone". Then the child's
 * group gets SIGTERM, the files are removed (they say the supervisor runs: the tmux segments), the
 * group gets SIGKILL after the kill-after time, and the watchdog exits. The line `disarm` means the
 * supervisor stopped the child itself: exit without signalling. A background loop ends the watchdog
 * once the group is gone, so a child that ended by itself leaves no watchdog behind.
 *
 * `sleep` with a fraction is not POSIX but is accepted by the sleep of Linux, macOS and the BSDs.
 */
export const WATCHDOG_SCRIPT = `
pgid=$1 ticks=$2 poll=$3
case $pgid in ''|*[!0-9]*|0|1) exit 2 ;; esac
# In a session of its own already; also deaf to the terminal's signals, which are the supervisor's.
trap '' INT HUP PIPE
alive() { kill -s 0 -- "-$pgid" 2>/dev/null; }
# The guard's sleep runs in the background and is waited for, so a TERM (the EXIT trap below) ends
# the guard at once and takes its sleep with it: no stray \`sleep\` outlives the watchdog.
( trap 'kill -s TERM "$nap" 2>/dev/null; exit 0' TERM
  while alive; do sleep "$poll" & nap=$!; wait "$nap"; done; kill -s TERM $$ 2>/dev/null ) &
guard=$!
trap 'kill -s TERM "$guard" 2>/dev/null' EXIT
while IFS= read -r line; do
  [ "$line" = disarm ] && exit 0
done
kill -s TERM -- "-$pgid" 2>/dev/null; signalled=$?
shift 3
[ "$#" -eq 0 ] || rm -f -- "$@"
[ "$signalled" -eq 0 ] || exit 0
n=0
while alive; do
  if [ "$n" -ge "$ticks" ]; then kill -s KILL -- "-$pgid" 2>/dev/null; exit 0; fi
  sleep 0.05
  n=$((n + 1))
done
`;
