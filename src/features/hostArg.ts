// The host a command was invoked for: a tree node (it carries `alias`), an alias string, or an
// object with `host` from tests and links. undefined: the command decides (the only host, or ask).
export function aliasOfArg(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg) return arg;
  const a = arg as { alias?: unknown; host?: unknown } | undefined;
  if (a && typeof a === 'object') return [a.alias, a.host].find((v): v is string => typeof v === 'string' && v !== '');
  return undefined;
}
