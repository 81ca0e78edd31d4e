// Resolve an SSH host alias the way `ssh <alias>` would, from the user's OpenSSH client config
// (via the `ssh-config` parser), then apply the extension's per-alias settings overrides, then
// built-in defaults (azar2 → azar2.cp.lsst.org). Pure Node: no vscode, no network.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import SSHConfig from 'ssh-config';
import { HostConfigError } from './errors';
import { parseStrictHostKeyChecking } from './hostVerifier';
import type { StrictHostKeyChecking } from './hostVerifier';

export interface HostOverride {
  hostName?: string;
  user?: string;
  port?: number;
  identityFile?: string | string[];
  proxyJump?: string;
}

export interface JumpHost {
  /** Alias as written in ProxyJump (resolved through ssh config like OpenSSH does). */
  alias: string;
  hostName: string;
  user: string;
  port: number;
  identityFiles: string[];
  identitiesOnly: boolean;
  identityAgent?: string;
  agentDisabled: boolean;
  knownHostsFiles: string[];
  /** GlobalKnownHostsFile (default /etc/ssh/ssh_known_hosts, /etc/ssh/ssh_known_hosts2), read-only. */
  globalKnownHostsFiles?: string[];
  /** StrictHostKeyChecking from ssh_config (default ask). */
  strictHostKeyChecking?: StrictHostKeyChecking;
  /** HashKnownHosts from ssh_config: new known_hosts entries are written hashed. */
  hashKnownHosts?: boolean;
}

/** OpenSSH's built-in GlobalKnownHostsFile. */
export const DEFAULT_GLOBAL_KNOWN_HOSTS = ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'];

export interface ResolvedHost extends JumpHost {
  /** Jump chain in connection order (first hop first); empty for a direct connection. */
  proxyJump: JumpHost[];
  /** Where hostName came from, for the status bar tooltip and error messages. */
  source: 'ssh-config' | 'settings' | 'default';
}

export interface ResolveOptions {
  /** OpenSSH client config; default ~/.ssh/config. A missing file is not an error. */
  sshConfigFile?: string;
  /** efdSalkafka.hosts */
  overrides?: Record<string, HostOverride | undefined>;
  /** efdSalkafka.knownHostsFile (non-empty wins over UserKnownHostsFile). */
  knownHostsFile?: string;
  /**
   * The system-wide client config read AFTER the user's (first value wins), as ssh does without
   * -F: /etc/ssh/ssh_config. Undefined: none (tests, and an explicit sshConfigFile like ssh -F).
   */
  systemConfigFile?: string;
  homeDir?: string;
  localUser?: string;
  env?: NodeJS.ProcessEnv;
}

/** Built-in names for the summit hosts, used when neither ssh config nor settings know them. */
export const DEFAULT_HOSTS: Record<string, string> = { azar2: 'azar2.cp.lsst.org' };

const DEFAULT_IDENTITIES = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_dsa'];
const MAX_INCLUDE_DEPTH = 16;

function localUsername(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.LOGNAME ?? 'root';
  }
}

export function expandTilde(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return path.join(home, p.slice(2));
  return p;
}

interface TokenContext {
  home: string;
  localUser: string;
  alias: string;
  hostName: string;
  remoteUser: string;
  port: number;
  env: NodeJS.ProcessEnv;
}

/** OpenSSH percent tokens (%h %u %r %p %d %n %l %%) and ${ENV} in path-like values. */
export function expandTokens(value: string, ctx: TokenContext): string {
  const withTokens = value.replace(/%(.)/g, (whole, t: string) => {
    switch (t) {
      case '%': return '%';
      case 'h': return ctx.hostName;
      case 'n': return ctx.alias;
      case 'u': return ctx.localUser;
      case 'r': return ctx.remoteUser;
      case 'p': return String(ctx.port);
      case 'd': return ctx.home;
      case 'l': return os.hostname();
      default:
        throw new HostConfigError(`unsupported token ${whole} in ssh config value "${value}"`);
    }
  });
  const withEnv = withTokens.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_w, name: string) => {
    const v = ctx.env[name];
    if (v === undefined) throw new HostConfigError(`environment variable ${name} used in ssh config value "${value}" is not set`);
    return v;
  });
  return expandTilde(withEnv, ctx.home);
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

/** Expand a glob whose wildcards are in the file name part (what Include users write). */
function expandIncludeGlob(pattern: string): string[] {
  const dir = path.dirname(pattern);
  const base = path.basename(pattern);
  if (!/[*?]/.test(base)) return fs.existsSync(pattern) ? [pattern] : [];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const re = globToRegExp(base);
  return names.filter((n) => re.test(n) && !n.startsWith('.')).sort().map((n) => path.join(dir, n));
}

/**
 * Read a config file with its Include directives inlined. ssh-config parses Include but does not
 * follow it. Inlining is exact for top-level Includes (the common `Include config.d/*`); an Include
 * inside a Host block whose files start new Host blocks is an approximation.
 */
export function readConfigWithIncludes(file: string, home: string, depth = 0): string {
  if (depth > MAX_INCLUDE_DEPTH) throw new HostConfigError(`ssh config Include nesting deeper than ${MAX_INCLUDE_DEPTH} at ${file}`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new HostConfigError(`cannot read ssh config ${file}: ${(err as Error).message}`);
  }
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*include(?:\s*=\s*|\s+)(.+?)\s*$/i.exec(line);
    if (!m) {
      out.push(line);
      continue;
    }
    // Several space-separated patterns, each optionally double-quoted.
    const patterns = m[1].match(/"[^"]*"|\S+/g) ?? [];
    for (const raw of patterns) {
      const p = expandTilde(raw.replace(/^"|"$/g, ''), home);
      const abs = path.isAbsolute(p) ? p : path.join(home, '.ssh', p);
      for (const f of expandIncludeGlob(abs)) out.push(readConfigWithIncludes(f, home, depth + 1));
    }
  }
  return out.join('\n');
}

/** Parse `[user@]host[:port]`, `[user@][v6addr]:port` or `ssh://[user@]host[:port]`. */
export function parseJumpSpec(spec: string): { user?: string; host: string; port?: number } {
  let s = spec.trim();
  if (s.startsWith('ssh://')) s = s.slice(6).replace(/\/$/, '');
  let user: string | undefined;
  const at = s.lastIndexOf('@');
  if (at >= 0) {
    user = s.slice(0, at);
    s = s.slice(at + 1);
  }
  let host = s;
  let port: number | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6) {
    host = v6[1];
    port = v6[2] ? Number(v6[2]) : undefined;
  } else {
    const hp = /^([^:]+):(\d+)$/.exec(s);
    if (hp) {
      host = hp[1];
      port = Number(hp[2]);
    }
  }
  if (!host || /[\s/]/.test(host) || (!v6 && host.includes(':')) || (user !== undefined && user === '') || (port !== undefined && !validPort(port))) {
    throw new HostConfigError(`invalid ProxyJump entry "${spec}" (expected [user@]host[:port])`);
  }
  return { user, host, port };
}

function validPort(p: number): boolean {
  return Number.isInteger(p) && p > 0 && p < 65536;
}

function asList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function yes(v: string | string[] | undefined): boolean {
  return first(v)?.toLowerCase() === 'yes';
}

interface Ctx {
  config: SSHConfig;
  home: string;
  localUser: string;
  env: NodeJS.ProcessEnv;
  overrides: Record<string, HostOverride | undefined>;
  knownHostsFile?: string;
}

function resolveOne(alias: string, ctx: Ctx, forced?: { user?: string; port?: number }): JumpHost & { source: ResolvedHost['source']; proxyJumpSpec?: string } {
  const c = ctx.config.compute(alias, { ignoreCase: true, matchExec: false });
  const o = ctx.overrides[alias] ?? {};
  let source: ResolvedHost['source'] = 'default';
  let hostName = alias;
  if (first(c.hostname)) {
    hostName = first(c.hostname)!;
    source = 'ssh-config';
  } else if (DEFAULT_HOSTS[alias]) {
    hostName = DEFAULT_HOSTS[alias];
  }
  if (o.hostName) {
    hostName = o.hostName;
    source = 'settings';
  }
  const port = forced?.port ?? o.port ?? (first(c.port) ? Number(first(c.port)) : 22);
  if (!validPort(port)) throw new HostConfigError(`invalid port "${String(o.port ?? first(c.port))}" for host ${alias}`);
  const user = forced?.user ?? o.user ?? first(c.user) ?? ctx.localUser;
  const tctx: TokenContext = { home: ctx.home, localUser: ctx.localUser, alias, hostName, remoteUser: user, port, env: ctx.env };
  hostName = expandTokens(hostName, { ...tctx, hostName: alias });
  tctx.hostName = hostName;

  const configuredIds = o.identityFile !== undefined ? asList(o.identityFile) : asList(c.identityfile);
  const explicitIds = configuredIds.filter((f) => f.toLowerCase() !== 'none').map((f) => path.resolve(ctx.home, expandTokens(f, tctx)));
  const identityFiles = configuredIds.length
    ? explicitIds
    : DEFAULT_IDENTITIES.map((n) => path.join(ctx.home, '.ssh', n));

  const agentValue = first(c.identityagent);
  let identityAgent: string | undefined;
  let agentDisabled = false;
  if (agentValue?.toLowerCase() === 'none') agentDisabled = true;
  else if (agentValue === 'SSH_AUTH_SOCK') identityAgent = ctx.env.SSH_AUTH_SOCK;
  else if (agentValue?.startsWith('$')) identityAgent = ctx.env[agentValue.slice(1)];
  else if (agentValue) identityAgent = expandTokens(agentValue, tctx);
  else identityAgent = ctx.env.SSH_AUTH_SOCK;

  const khConfigured = asList(c.userknownhostsfile).flatMap((v) => v.split(/\s+/)).filter((v) => v && v.toLowerCase() !== 'none');
  const knownHostsFiles = ctx.knownHostsFile
    ? [expandTilde(ctx.knownHostsFile, ctx.home)]
    : khConfigured.length
      ? khConfigured.map((f) => path.resolve(ctx.home, expandTokens(f, tctx)))
      : [path.join(ctx.home, '.ssh', 'known_hosts'), path.join(ctx.home, '.ssh', 'known_hosts2')];
  const globalConfigured = asList(c.globalknownhostsfile).flatMap((v) => v.split(/\s+/)).filter(Boolean);
  const globalKnownHostsFiles = !globalConfigured.length
    ? [...DEFAULT_GLOBAL_KNOWN_HOSTS]
    : globalConfigured.filter((f) => f.toLowerCase() !== 'none').map((f) => path.resolve(ctx.home, expandTokens(f, tctx)));

  const pj = o.proxyJump ?? first(c.proxyjump);
  return {
    alias,
    hostName,
    user,
    port,
    identityFiles,
    identitiesOnly: yes(c.identitiesonly),
    identityAgent,
    agentDisabled,
    knownHostsFiles,
    globalKnownHostsFiles,
    strictHostKeyChecking: parseStrictHostKeyChecking(first(c.stricthostkeychecking)),
    hashKnownHosts: yes(c.hashknownhosts),
    source,
    proxyJumpSpec: pj && pj.toLowerCase() !== 'none' ? pj : undefined,
  };
}

/** Resolve `alias` to everything needed to connect, including the ProxyJump chain. */
export function resolveHost(alias: string, opts: ResolveOptions = {}): ResolvedHost {
  if (!/^[A-Za-z0-9_.:%@\[\]-]+$/.test(alias)) {
    throw new HostConfigError(`invalid host alias "${alias}": use letters, digits, ".", "-", "_"`);
  }
  const home = opts.homeDir ?? os.homedir();
  const configFile = expandTilde(opts.sshConfigFile || '~/.ssh/config', home);
  const system = opts.systemConfigFile ? readConfigWithIncludes(opts.systemConfigFile, home) : '';
  // Appended: ssh_config takes the first value found, so the user's file wins, as with ssh.
  const text = `${readConfigWithIncludes(configFile, home)}\n${system}`;
  const ctx: Ctx = {
    config: SSHConfig.parse(text),
    home,
    localUser: opts.localUser ?? localUsername(),
    env: opts.env ?? process.env,
    overrides: opts.overrides ?? {},
    knownHostsFile: opts.knownHostsFile || undefined,
  };
  const { proxyJumpSpec, ...target } = resolveOne(alias, ctx);
  const proxyJump: JumpHost[] = [];
  if (proxyJumpSpec) {
    for (const spec of proxyJumpSpec.split(',').map((s) => s.trim()).filter(Boolean)) {
      const j = parseJumpSpec(spec);
      // Like OpenSSH, a jump host is itself an alias looked up in the config; its own ProxyJump is
      // not followed (the chain written here is the whole route).
      const { proxyJumpSpec: _ignored, source: _s, ...hop } = resolveOne(j.host, ctx, { user: j.user, port: j.port });
      proxyJump.push(hop);
    }
  }
  return { ...target, proxyJump };
}
