/** Reading the server's numeric settings from its environment (WEB_CONCURRENCY, GROUP_COMMIT_MS). */

/**
 * A whole number from an environment variable: `fallback` when it is unset or empty, the number
 * when it is written in digits alone and lies from `min` to `max`, else undefined — the server then
 * refuses to start with one line that says what to give.
 */
export function wholeNumberFromEnv(
  value: string | undefined,
  { min, max, fallback }: { min: number; max: number; fallback: number },
): number | undefined {
  if (value === undefined || value.trim() === '') return fallback;
  if (!/^\d+$/.test(value.trim())) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
}
