/** What the log keeps of one transition: always its event and effects, and what changed that matters. */
import type { Effect, SupervisorEvent, SupervisorState } from './types.js';

export interface LogEntry {
  level: 'debug' | 'info' | 'warn';
  fields: Record<string, unknown>;
  message: string;
}

export function transitionLog(
  event: SupervisorEvent,
  before: SupervisorState,
  after: SupervisorState,
  effects: readonly Effect[],
): LogEntry[] {
  const entries: LogEntry[] = [
    {
      level: 'debug',
      fields: { event: event.type, effects: effects.map((e) => e.type) },
      message: 'transition',
    },
  ];
  if (after.status !== before.status) {
    const fields = { event: 'state', from: before.status, to: after.status };
    entries.push({ level: 'info', fields, message: `state ${after.status}` });
  }
  if (after.lastError && after.lastError !== before.lastError) {
    entries.push({ level: 'warn', fields: { event: 'last-error' }, message: after.lastError });
  }
  return entries;
}
