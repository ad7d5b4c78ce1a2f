/** Our output streams as the supervisor writes to them: with back-pressure when they have it. */
import type { CliIo } from '../cli/cli-io.js';
import type { TerminalStream } from '../supervisor/supervisor.js';

export function terminalStream(stream: CliIo['stdout']): TerminalStream {
  const writable = stream as Partial<TerminalStream>;
  if (typeof writable.once === 'function') return stream as TerminalStream;
  // A plain writer (tests): never asks for a drain.
  return {
    write: (chunk) => {
      stream.write(chunk as string);
      return true;
    },
    once: () => undefined,
    isTTY: stream.isTTY,
  };
}
