/**
 * ISO 8601 / RFC 3339 date-times as AWS tools print them (`2025-01-31T12:00:00Z`,
 * `2025-01-31T12:00:00+00:00`, `2025-01-31T12:00:00.123456Z`). A zone is required: a time without one
 * would be read in the machine's zone and could be hours off. `Date.parse` alone is too lenient
 * (it turns 30 February into 2 March), so the fields are checked here.
 */
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

export function parseIsoTime(text: string): Date | undefined {
  const match = ISO_TIME.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s = '0', fraction = '0', zulu, sign, offH = '0', offM = '0'] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 60) return undefined;
  if (Number(offH) > 23 || Number(offM) > 59) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return undefined;
  const ms = Math.floor(Number(`0.${fraction}`) * 1000);
  const offsetMinutes = zulu ? 0 : (sign === '-' ? -1 : 1) * (Number(offH) * 60 + Number(offM));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
  return new Date(utc);
}
