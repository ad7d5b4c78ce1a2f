/**
 * A hostile local neighbour: opens `count` TCP connections to a loopback port, sends nothing, and
 * opens a new one whenever one is closed, so the pressure stays on for as long as it runs. No token
 * or file access is needed for this, only a port number (any local user can list listening ports).
 */
import net from 'node:net';

export interface IdleAttacker {
  /** Connections the attacker managed to open so far (re-opens included). */
  readonly opened: number;
  /** Connections currently open on the attacker's side. */
  readonly holding: number;
  stop(): void;
}

/** `reconnectDelayMs`: how soon a dropped connection is opened again (default 20 ms). */
export function holdIdleConnections(port: number, count: number, reconnectDelayMs = 20): IdleAttacker {
  const sockets = new Set<net.Socket>();
  let opened = 0;
  let stopped = false;
  const open = () => {
    if (stopped) return;
    const socket = net.connect({ host: '127.0.0.1', port });
    sockets.add(socket);
    socket.on('connect', () => {
      opened += 1;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      sockets.delete(socket);
      // A little later, so a refused port does not become a busy loop.
      if (!stopped) setTimeout(open, reconnectDelayMs);
    });
  };
  for (let i = 0; i < count; i++) open();
  return {
    get opened() {
      return opened;
    },
    get holding() {
      return sockets.size;
    },
    stop() {
      stopped = true;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
  };
}
