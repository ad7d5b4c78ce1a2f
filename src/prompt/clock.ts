/** `14:32`: the wall-clock time a person compares with their own clock (local zone unless given). */
export function formatClock(epochMs: number, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(epochMs));
}
