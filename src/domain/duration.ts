/**
 * How long something took or has lasted, in words a person reads at a glance. One module, two
 * resolutions: `second` for response times ("3 min 12 s", "1 h 04 min", truncated like a
 * stopwatch) and `minute` for spans of calendar time ("45 min", "36 h", "2 d 3 h", rounded).
 */
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A duration in its two largest units: "45 s", "3 min 12 s", "1 h 04 min", "2 d 3 h". The
 * smaller unit is dropped when zero ("2 h"), and minutes and seconds after a larger unit have
 * two digits, like a clock. Truncated, never rounded up: 59 min 59.9 s is "59 min 59 s".
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`formatDuration: expected a duration in ms, got ${ms}`);
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  const seconds = Math.floor((ms % MINUTE) / SECOND);
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${twoDigits(minutes)} min` : `${hours} h`;
  if (minutes > 0) return seconds > 0 ? `${minutes} min ${twoDigits(seconds)} s` : `${minutes} min`;
  return `${seconds} s`;
}

function twoDigits(n: number): string {
  return String(n).padStart(2, '0');
}

/** `45 min`, `9 h`, `36 h 5 min`, `2 d 3 h`: rounded to the minute, hours up to two days. */
export function formatSpan(ms: number): string {
  const minutes = Math.round(ms / MINUTE);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 48) return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}
