// Reconnect delays: exponential growth with "equal jitter" (half fixed, half random) so many
// VS Code windows reconnecting to azar2 after a network blip do not all knock at once.

export interface BackoffOptions {
  initialDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
}

export function backoffDelay(attempt: number, opts: BackoffOptions = {}): number {
  const initial = opts.initialDelayMs ?? 1000;
  const cap = opts.maxDelayMs ?? 30_000;
  const random = opts.random ?? Math.random;
  const exp = Math.min(cap, initial * 2 ** Math.max(0, attempt));
  return Math.round(exp / 2 + random() * (exp / 2));
}
