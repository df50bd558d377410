const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const three = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * `date.toISOString()`, written out by hand for the years 1000–9999 (every other year goes to toISOString itself).
 * Why: lists answer three timestamps per item, and V8's toISOString costs 0.44 µs a call against 0.18 µs for this
 * (measured on these machines): ~16 µs of a 20-task page. time.test.ts holds it to toISOString.
 */
export function isoTime(date: Date): string {
  const year = date.getUTCFullYear();
  if (year < 1000 || year > 9999) return date.toISOString();
  return `${year}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}T${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}.${three(date.getUTCMilliseconds())}Z`;
}
