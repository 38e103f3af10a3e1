/** Timestamps as DigitalOcean writes them: ISO 8601 in UTC, to the second (`2020-07-21T18:37:44Z`). */
export function isoTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function isoNow(): string {
  return isoTime(new Date());
}
