/**
 * Intl.DateTimeFormat instances are costly to build and the rotation maths asks for the same few
 * zones all the time: one cache per purpose, keyed by zone. An unknown zone throws RangeError.
 */
export function formatterCache(options: Omit<Intl.DateTimeFormatOptions, 'timeZone'>): (timeZone: string) => Intl.DateTimeFormat {
  const cache = new Map<string, Intl.DateTimeFormat>();
  return (timeZone) => {
    let formatter = cache.get(timeZone);
    if (!formatter) {
      formatter = new Intl.DateTimeFormat('en-US', { ...options, timeZone });
      cache.set(timeZone, formatter);
    }
    return formatter;
  };
}
