#!/usr/bin/env bash
# dev-loop.sh: cred-supervisor in a tmux session of its own, for this project directory.
#   pane "supervisor": cred-supervisor watch [args] (cdk watch --hotswap-fallback by default); with
#                      -p FILE, every process of that Procfile, each line prefixed `name | `
#   pane "log":        its log file, followed and made readable
#   status line:       the segment the supervisor keeps in its state dir (account, time left, "creds!"),
#                      read with cat: cred-supervisor status --segment-file names it
# Run it again to get back to the session; -k ends it.
set -euo pipefail

readonly SCRIPT_NAME=${0##*/}

usage() {
  cat <<EOF
Usage: $SCRIPT_NAME [-d] [-k] [-p PROCFILE] [-h] [-- watch options and command]

Opens (or returns to) a tmux session with cred-supervisor in one pane and its log in another.
Everything after -- goes to \`cred-supervisor watch\`, e.g.
  $SCRIPT_NAME -- --profile dev --expect-account 123456789012
  $SCRIPT_NAME -- -- cdk watch --hotswap-fallback MyStack
  $SCRIPT_NAME -p Procfile.dev -- --profile dev

Options:
  -d  create the session if needed, but do not attach (for scripts)
  -k  stop the supervisor (\`cred-supervisor stop\`, which waits for it) and kill the session
  -p  run every \`name: command\` line of this Procfile under the one supervisor
      (\`watch --procfile\`): one pane of prefixed output, one credential session
  -h  show this help

Environment:
  CRED_SUPERVISOR_SESSION      session name (default: cred-supervisor-<this directory's name>)
  CRED_SUPERVISOR_TMUX_SOCKET  use a separate tmux server: a name (tmux -L) or a socket path (tmux -S)
  CRED_SUPERVISOR_BIN          the cred-supervisor executable (default: node_modules/.bin above this
                               directory, else the one this script ships with, else PATH)
  CRED_SUPERVISOR_LOG          the log file to follow (default: .cred-supervisor/supervisor.log)
EOF
}

die() {
  printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2
  exit 2
}

detach=false
kill_session=false
procfile=''
while getopts ':dkp:h' opt; do
  case $opt in
    d) detach=true ;;
    k) kill_session=true ;;
    p) procfile=$OPTARG ;;
    :)
      usage >&2
      die "-$OPTARG needs a value (a Procfile, e.g. -$OPTARG Procfile.dev)"
      ;;
    h)
      usage
      exit 0
      ;;
    *)
      usage >&2
      die "unknown option -$OPTARG (watch options go after --)"
      ;;
  esac
done
shift $((OPTIND - 1))
if [[ -n $procfile ]]; then
  [[ -f $procfile ]] || die "no Procfile at $procfile (cred-supervisor init --procfile writes one)."
  # watch options stay as given; the Procfile comes first, so a command after -- is refused by watch.
  set -- --procfile "$procfile" "$@"
fi

command -v tmux >/dev/null 2>&1 || die 'tmux is not installed (apt install tmux, brew install tmux).'

project_dir=$PWD
script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)

# tmux turns '.' and ':' in session names into '_'; doing it here keeps -t targets exact.
session=${CRED_SUPERVISOR_SESSION:-cred-supervisor-${project_dir##*/}}
session=${session//[.:]/_}

tmux_cmd=(tmux)
if [[ -n ${CRED_SUPERVISOR_TMUX_SOCKET:-} ]]; then
  if [[ $CRED_SUPERVISOR_TMUX_SOCKET == */* ]]; then
    tmux_cmd+=(-S "$CRED_SUPERVISOR_TMUX_SOCKET")
  else
    tmux_cmd+=(-L "$CRED_SUPERVISOR_TMUX_SOCKET")
  fi
fi
t() { "${tmux_cmd[@]}" "$@"; }

# The supervisor is started directly, never through npx or npm: they swallow the signals it relies on
# (Ctrl+C, SIGTERM, the SIGHUP tmux sends when the session is killed).
find_supervisor() {
  if [[ -n ${CRED_SUPERVISOR_BIN:-} ]]; then
    supervisor=("$CRED_SUPERVISOR_BIN")
    return
  fi
  local dir=$project_dir
  while true; do
    if [[ -x $dir/node_modules/.bin/cred-supervisor ]]; then
      supervisor=("$dir/node_modules/.bin/cred-supervisor")
      return
    fi
    [[ $dir == / ]] && break
    dir=$(dirname -- "$dir")
  done
  # This script ships in the package: its own CLI sits next to it.
  local node own
  own=$(cd -- "$script_dir/.." && pwd)/dist/cli/main.cjs
  if [[ -f $own ]] && node=$(command -v node); then
    supervisor=("$node" "$own")
    return
  fi
  if own=$(command -v cred-supervisor); then
    supervisor=("$own")
    return
  fi
  die 'cannot find cred-supervisor: install it (npm install -D cred-supervisor) or set CRED_SUPERVISOR_BIN.'
}
supervisor=()
find_supervisor

has_session() { t has-session -t "=$session" 2>/dev/null; }

if $kill_session; then
  if ! has_session; then
    printf 'No tmux session %s.\n' "$session"
    exit 0
  fi
  # Stop first: `stop` returns once the supervisor and its child group are gone, so nothing is cut
  # off mid-write. Exit 3 means none was running (it had exited already): fine too.
  stop_status=0
  "${supervisor[@]}" stop || stop_status=$?
  t kill-session -t "=$session"
  printf 'Killed tmux session %s.\n' "$session"
  if ((stop_status != 0 && stop_status != 3)); then
    printf '%s: "cred-supervisor stop" failed (exit %d); the session was killed anyway.\n' \
      "$SCRIPT_NAME" "$stop_status" >&2
    exit 1
  fi
  exit 0
fi

# A word quoted for sh: status-right runs its #() command with /bin/sh.
sh_quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# pino JSON lines → "12:04:05 WARN  message key=value"; anything else passes through. Line by line,
# unbuffered, so the pane follows the file as it grows.
# shellcheck disable=SC2016 # a node program, not shell: nothing in it is for bash to expand
readonly LOG_FORMATTER='
const LEVELS = { 10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL" };
const COLORS = { 10: 90, 20: 90, 40: 33, 50: 31, 60: 31 };
const tty = process.stdout.isTTY;
require("readline").createInterface({ input: process.stdin }).on("line", (line) => {
  let entry = null;
  try { entry = JSON.parse(line); } catch {}
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) return console.log(line);
  const { time, level, msg, pid, hostname, v, ...fields } = entry;
  const at = time === undefined ? "" : new Date(time).toTimeString().slice(0, 8) + " ";
  let label = (LEVELS[level] || String(level ?? "")).padEnd(5);
  if (tty && COLORS[level]) label = "\x1b[" + COLORS[level] + "m" + label + "\x1b[0m";
  const extra = Object.entries(fields)
    .map(([key, value]) => key + "=" + (typeof value === "string" ? value : JSON.stringify(value)))
    .join(" ");
  console.log(at + label + " " + (msg ?? "") + (extra ? "  " + extra : ""));
});
'
# shellcheck disable=SC2016 # expanded by the pane's bash, from its own arguments
readonly LOG_PIPELINE='
if [ ! -e "$1" ]; then
  printf "Waiting for %s: the supervisor creates it when it starts.\n" "$1"
  while [ ! -e "$1" ]; do sleep 0.5; done
fi
if [ -n "$2" ]; then tail -n 200 -F -- "$1" | "$2" -e "$3"; else exec tail -n 200 -F -- "$1"; fi
'

create_session() {
  local log_file=${CRED_SUPERVISOR_LOG:-.cred-supervisor/supervisor.log}
  local node
  node=$(command -v node || true)

  # An already running tmux server gives new panes its own environment, not this shell's: pass on
  # what the supervisor needs to find node and the AWS setup. Never secret keys: tmux arguments are
  # visible to every user in the process list (the credentials file is the way to hand those over).
  local env_args=(-e "PATH=$PATH")
  local name
  for name in AWS_PROFILE AWS_REGION AWS_DEFAULT_REGION AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE \
    AWS_ENDPOINT_URL AWS_ENDPOINT_URL_STS CDK_HOME; do
    if [[ -n ${!name:-} ]]; then env_args+=(-e "$name=${!name}"); fi
  done

  local supervisor_pane log_pane
  supervisor_pane=$(t new-session -d -P -F '#{pane_id}' -s "$session" -n dev-loop -c "$project_dir" \
    "${env_args[@]}" -- "${supervisor[@]}" watch "$@")
  # Keep the supervisor's last words on screen when it exits (q, a fatal crash loop).
  t set-option -p -t "$supervisor_pane" remain-on-exit on
  t select-pane -t "$supervisor_pane" -T supervisor

  log_pane=$(t split-window -d -v -l 30% -P -F '#{pane_id}' -t "$supervisor_pane" -c "$project_dir" \
    -- bash -c "$LOG_PIPELINE" dev-loop-log "$log_file" "$node" "$LOG_FORMATTER")
  t select-pane -t "$log_pane" -T log

  # The supervisor keeps its segment current in a file: `cat` costs a thousandth of starting Node
  # every status-interval. A CLI that cannot name the file gets asked each time instead: status-right
  # runs in the session's directory (`cd` makes sure), with the CLI's full path, which works even when
  # it is not on the tmux server's PATH. '#' is tmux's format character: doubled.
  local status_cmd word segment_file
  if segment_file=$("${supervisor[@]}" status --segment-file 2>/dev/null) && [[ $segment_file == /* ]]; then
    status_cmd="cat $(sh_quote "$segment_file") 2>/dev/null"
  else
    status_cmd="cd $(sh_quote "$project_dir") &&"
    for word in "${supervisor[@]}"; do status_cmd+=" $(sh_quote "$word")"; done
    status_cmd+=' status --format tmux 2>/dev/null'
  fi
  t set-option -t "$session" status-right "#(${status_cmd//#/##}) %H:%M"
  t set-option -t "$session" status-right-length 60
  t set-option -t "$session" status-interval 5
}

if has_session; then
  if (($# > 0)); then
    printf '%s: session %s is already running; the watch arguments were not applied (-k ends it first).\n' \
      "$SCRIPT_NAME" "$session" >&2
  fi
else
  create_session "$@"
fi

attach_hint() {
  local words=("${tmux_cmd[@]}" attach -t "$session") quoted
  printf -v quoted '%q ' "${words[@]}"
  printf '%s' "${quoted% }"
}
hint=$(attach_hint)

if [[ -n ${TMUX:-} ]] && ! $detach; then
  # Inside tmux: switch this client over, unless the session lives on another tmux server.
  server_socket=$(t display-message -p '#{socket_path}')
  if [[ ${TMUX%%,*} == "$server_socket" ]]; then
    exec "${tmux_cmd[@]}" switch-client -t "=$session"
  fi
  printf 'Session %s runs on another tmux server; from outside tmux: %s\n' "$session" "$hint"
  exit 0
fi

if $detach || [[ ! -t 0 || ! -t 1 ]]; then
  printf 'Session %s is running. Attach with: %s\n' "$session" "$hint"
  exit 0
fi
exec "${tmux_cmd[@]}" attach-session -t "=$session"
