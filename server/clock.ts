/** What time it is, for everything the server stamps; tests pass a fixed clock. */
export interface Clock {
  /** An ISO timestamp, e.g. `2026-03-02T09:30:00.000Z`. */
  now(): string;
}

export const systemClock: Clock = { now: () => new Date().toISOString() };
