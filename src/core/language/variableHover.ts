import * as posix from 'node:path/posix';
import type { EnvDiscovery, EnvFileKind } from '../compose/envDiscovery';
import type { ComposeModel, Range } from '../compose/model';

const KIND: Record<EnvFileKind, string> = { dotenv: 'beside the file', header: "named in the file's header", setting: 'efdSalkafka.envFiles', explicit: 'given explicitly' };

/**
 * Hover on a `${VAR}`: its value, the env file it comes from, and every env file the
 * checker used for this compose file (or was told about and did not find), so a surprising
 * value or an unset variable can be traced to a file.
 */
export function variableHover(model: ComposeModel, offset: number, env: EnvDiscovery | undefined): { markdown: string; range: Range } | undefined {
  const ref = model.variables.find((v) => v.range.start <= offset && offset <= v.range.end);
  if (!ref || !env) return undefined;
  const origin = env.origin[ref.name];
  const lines: string[] = [];
  if (ref.unset) lines.push(`**${ref.name}** is not set by any env file used.`);
  else if (origin === 'shell') lines.push(`**${ref.name}** is set by the shell that runs docker-compose${ref.name === 'PWD' ? ` (the file's directory, ${code(env.dir)})` : ''}.`);
  else if (origin) lines.push(`**${ref.name}** = ${code(ref.resolved ?? '')} from ${code(shownPath(env, origin))}.`);
  else lines.push(`**${ref.name}** = ${code(ref.resolved ?? '')} (from the default in the file).`);
  const used = env.files.map((f) => `- ${code(shownPath(env, f.path))} (${KIND[f.kind]})`);
  lines.push(used.length ? `Env files used, later ones win:\n${used.join('\n')}` : 'No env file found.');
  for (const m of env.missing) lines.push(`Not found: ${code(m.name)} (${KIND[m.kind]}), looked in ${m.searched.map((d) => code(shownPath(env, d))).join(', ')}.`);
  return { range: ref.range, markdown: lines.join('\n\n') };
}

/** As envDiscovery's shownPath; repeated so the editor bundle does not load discovery at activation. */
function shownPath(env: EnvDiscovery, path: string): string {
  return posix.relative(env.dir, path) || '.';
}

/** Inline code that survives any backticks in the value (CommonMark: a longer fence). */
function code(s: string): string {
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s.replace(/[\r\n]+/g, ' ')}${pad}${fence}`;
}
