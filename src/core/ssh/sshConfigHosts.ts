// The host aliases a user can pick from their OpenSSH client config: every name on a `Host`
// line (Includes followed), except patterns (`*`, `?`), negations (`!name`) and duplicates, in
// file order. Used by the walkthrough's "pick the producers host" step.
import * as os from 'node:os';
import { readConfigWithIncludes } from './resolveHost';

export function hostAliasesInConfig(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*host(?:\s*=\s*|\s+)(.+?)\s*(?:#.*)?$/i.exec(line);
    if (!m) continue;
    for (const raw of m[1].match(/"[^"]*"|\S+/g) ?? []) {
      const name = raw.replace(/^"|"$/g, '');
      if (!name || /[*?]/.test(name) || name.startsWith('!') || out.includes(name)) continue;
      out.push(name);
    }
  }
  return out;
}

/** Aliases from a config file (missing file: none). */
export function hostAliasesInConfigFile(file: string, home = os.homedir()): string[] {
  return hostAliasesInConfig(readConfigWithIncludes(file, home));
}
