/** "expired 3 days ago", "expires in 5 h", for the view, the status bar and messages. */
export function expiresIn(at: Date | undefined, nowMs: number): { expired: boolean; text: string } | undefined {
  if (!at) return undefined;
  const d = at.getTime() - nowMs;
  const span = humanSpan(Math.abs(d));
  return d < 0 ? { expired: true, text: `expired ${span} ago` } : { expired: false, text: `expires in ${span}` };
}

function humanSpan(ms: number): string {
  const h = ms / 3_600_000;
  if (h < 1) return `${Math.max(1, Math.round(ms / 60_000))} min`;
  if (h < 48) return `${Math.round(h)} h`;
  return `${Math.round(h / 24)} days`;
}
