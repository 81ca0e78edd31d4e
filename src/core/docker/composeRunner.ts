// docker-compose on the host, over exec, in the kafka_writers directory. Every argument is a
// separate argv element (quoted by HostConnection.exec) and every service name is validated
// before a command line exists, so a hostile name can neither inject shell syntax nor pose as a
// compose option ("--rmi").
import * as posixPath from 'node:path/posix';
import { validateServiceName } from '../remote/names';
import type { ExecOptions, ExecResult } from '../host/host';

export interface ComposeFlavor {
  /** v1: python docker-compose; v2: Go compose (plugin `docker compose` or standalone binary). */
  kind: 'v1' | 'v2';
  version: string;
  /** Command prefix: ['docker-compose'] or ['docker', 'compose']. */
  command: string[];
}

export interface ComposeHost {
  readonly alias: string;
  exec(argv: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
}

export interface ComposeRunnerOptions {
  /** Absolute path of the compose file on the host. */
  composeFile: string;
  /**
   * Which to use when both exist. The summit deploys kafka_writers with docker-compose v1, and
   * mixing v1 and v2 on one project can make `up -d` recreate containers that did not change.
   */
  prefer?: 'v1' | 'v2';
}

export type ComposeSubcommand = 'up' | 'stop' | 'start' | 'restart' | 'ps' | 'config' | 'create' | 'rm' | 'logs' | 'images' | 'pull';

export interface ComposeRunOptions {
  services?: readonly string[];
  /** Options after the subcommand, e.g. ['-d', '--no-deps'] or ['-t', '30']. */
  flags?: readonly string[];
  onOutput?(text: string, stream: 'stdout' | 'stderr'): void;
  signal?: AbortSignal;
}

export interface ComposeResult extends ExecResult {
  /** The argv that ran (for logs and the audit trail). */
  argv: string[];
  cwd: string;
}

export class ComposeNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ComposeNotFoundError';
  }
}

// pull: a cycle upgrade fetches the new images before any producer stops.
const SUBCOMMANDS = new Set<ComposeSubcommand>(['up', 'stop', 'start', 'restart', 'ps', 'config', 'create', 'rm', 'logs', 'images', 'pull']);
// A flag is an option name with an optional simple value, or a bare number (the value of -t).
const FLAG_RE = /^(--?[a-zA-Z][a-zA-Z0-9-]*(=[A-Za-z0-9_.:,-]*)?|[0-9]{1,6})$/;

const flavorCache = new WeakMap<object, Promise<ComposeFlavor>>();

async function probe(host: ComposeHost, command: string[]): Promise<string | undefined> {
  try {
    const r = await host.exec([...command, 'version', '--short']);
    const v = r.stdout.trim().replace(/^v/, '');
    return r.code === 0 && /^\d+\.\d+/.test(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Find docker-compose v1 / v2 on the host (cached per connection object). */
export function detectCompose(host: ComposeHost, prefer: 'v1' | 'v2' = 'v1'): Promise<ComposeFlavor> {
  let cached = flavorCache.get(host);
  if (!cached) {
    cached = (async () => {
      const [standalone, plugin] = await Promise.all([probe(host, ['docker-compose']), probe(host, ['docker', 'compose'])]);
      const found: ComposeFlavor[] = [];
      if (standalone) found.push({ kind: standalone.startsWith('1.') ? 'v1' : 'v2', version: standalone, command: ['docker-compose'] });
      if (plugin) found.push({ kind: 'v2', version: plugin, command: ['docker', 'compose'] });
      if (found.length === 0) {
        throw new ComposeNotFoundError(`neither docker-compose nor docker compose is installed on ${host.alias}`);
      }
      return found.find((f) => f.kind === prefer) ?? found[0];
    })();
    cached.catch(() => flavorCache.delete(host));
    flavorCache.set(host, cached);
  }
  return cached;
}

/** The argv for one compose run; throws on any invalid service name or flag. Exported for tests. */
export function buildComposeArgv(flavor: ComposeFlavor, composeFile: string, sub: ComposeSubcommand, opts: ComposeRunOptions = {}): string[] {
  if (!SUBCOMMANDS.has(sub)) throw new Error(`compose subcommand "${String(sub)}" is not allowed`);
  const services = (opts.services ?? []).map(validateServiceName);
  for (const f of opts.flags ?? []) {
    if (!FLAG_RE.test(f)) throw new Error(`compose option ${JSON.stringify(f)} is not allowed`);
  }
  if (!posixPath.isAbsolute(composeFile)) throw new Error(`compose file path must be absolute on the host: ${composeFile}`);
  const ansi = flavor.kind === 'v1' && /^1\.(\d|1\d|2[0-7])\./.test(flavor.version) ? ['--no-ansi'] : ['--ansi', 'never'];
  return [...flavor.command, '-f', composeFile, ...ansi, sub, ...(opts.flags ?? []), ...services];
}

export class ComposeRunner {
  constructor(
    private readonly host: ComposeHost,
    private readonly options: ComposeRunnerOptions,
  ) {}

  get composeFile(): string {
    return this.options.composeFile;
  }

  /** The kafka_writers directory: compose reads .env and relative volumes from there. */
  get directory(): string {
    return posixPath.dirname(this.options.composeFile);
  }

  flavor(): Promise<ComposeFlavor> {
    return detectCompose(this.host, this.options.prefer);
  }

  async run(sub: ComposeSubcommand, opts: ComposeRunOptions = {}): Promise<ComposeResult> {
    // Validate before detection so a bad name never causes any remote command at all.
    buildComposeArgv({ kind: 'v2', version: '2', command: ['docker', 'compose'] }, this.options.composeFile, sub, opts);
    const argv = buildComposeArgv(await this.flavor(), this.options.composeFile, sub, opts);
    const decoder = { stdout: new TextDecoder(), stderr: new TextDecoder() };
    const r = await this.host.exec(argv, {
      cwd: this.directory,
      signal: opts.signal,
      onStdout: opts.onOutput && ((d) => opts.onOutput!(decoder.stdout.decode(d, { stream: true }), 'stdout')),
      onStderr: opts.onOutput && ((d) => opts.onOutput!(decoder.stderr.decode(d, { stream: true }), 'stderr')),
    });
    return { ...r, argv, cwd: this.directory };
  }

  up(services: readonly string[], opts: Omit<ComposeRunOptions, 'services'> = {}): Promise<ComposeResult> {
    return this.run('up', { ...opts, services, flags: ['-d', ...(opts.flags ?? [])] });
  }
  stop(services: readonly string[], timeoutSec = 10, opts: Omit<ComposeRunOptions, 'services' | 'flags'> = {}): Promise<ComposeResult> {
    return this.run('stop', { ...opts, services, flags: ['-t', String(Math.trunc(timeoutSec))] });
  }
  start(services: readonly string[], opts: Omit<ComposeRunOptions, 'services' | 'flags'> = {}): Promise<ComposeResult> {
    return this.run('start', { ...opts, services });
  }
  restart(services: readonly string[], timeoutSec = 10, opts: Omit<ComposeRunOptions, 'services' | 'flags'> = {}): Promise<ComposeResult> {
    return this.run('restart', { ...opts, services, flags: ['-t', String(Math.trunc(timeoutSec))] });
  }
  /** `config -q`: validate the file on the host with the host's own compose. */
  validate(opts: Omit<ComposeRunOptions, 'services' | 'flags'> = {}): Promise<ComposeResult> {
    return this.run('config', { ...opts, flags: ['-q'] });
  }
}
