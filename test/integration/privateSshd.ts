// A private sshd (same host key and users as the shared test host) on a free port, that a suite
// may kill at will without disturbing anyone else's tests. Started and stopped by pid only.
import { spawn, execFileSync } from 'child_process';
import type { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import type { ResolvedHost } from '../../src/core/ssh/resolveHost';
import type { TestHostInfo } from './testHost';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitListening(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`private sshd not listening on ${port} after ${timeoutMs} ms`);
}

export class PrivateSshd {
  private child: ChildProcess | undefined;
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly cfg: string,
    private readonly h: TestHostInfo | undefined,
    private readonly alias: string,
  ) {}

  /**
   * The usual private sshd: the shared test host's ED25519 host key and users (key login only),
   * plus `extraConfig` lines (e.g. forwarding switched off), and a known_hosts file for target().
   */
  static async start(h: TestHostInfo, opts: { extraConfig?: string[]; alias?: string } = {}): Promise<PrivateSshd> {
    const hostKey = path.join(h.stateDir ?? path.dirname(h.knownHostsFile), 'ssh_host_ed25519_key');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'salkafka-faults-sshd-'));
    const login = [
      'AuthorizedKeysFile .ssh/authorized_keys',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'PermitRootLogin no',
      `AllowUsers ${h.user}`,
      ...(opts.extraConfig ?? []),
      'Subsystem sftp internal-sftp',
    ];
    const s = await PrivateSshd.launch(dir, [hostKey], login, h, opts.alias);
    const pub = fs.readFileSync(`${hostKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
    fs.writeFileSync(path.join(dir, 'known_hosts'), `[127.0.0.1]:${s.port} ${pub}\n`);
    return s;
  }

  /**
   * A private sshd with host keys and settings of the caller's own (in `dir`, which stop() removes),
   * not tied to the shared test host; target() is not available.
   */
  static startOwn(dir: string, hostKeys: string[], config: string[]): Promise<PrivateSshd> {
    return PrivateSshd.launch(dir, hostKeys, config);
  }

  private static async launch(dir: string, hostKeys: string[], config: string[], h?: TestHostInfo, alias?: string): Promise<PrivateSshd> {
    const port = await freePort();
    const cfg = path.join(dir, 'sshd_config'); // absolute path: sshd resets connections otherwise
    fs.writeFileSync(
      cfg,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        ...hostKeys.map((k) => `HostKey ${k}`),
        `PidFile ${path.join(dir, 'sshd.pid')}`,
        ...config,
        '',
      ].join('\n'),
    );
    fs.mkdirSync('/run/sshd', { recursive: true });
    const s = new PrivateSshd(dir, port, cfg, h, alias ?? 'azar2-faults');
    await s.up();
    return s;
  }

  async up(): Promise<void> {
    this.child = spawn('/usr/sbin/sshd', ['-D', '-f', this.cfg, '-E', path.join(this.dir, 'sshd.log')], { stdio: 'ignore' });
    await waitListening(this.port, 10_000);
  }

  /** Every process below our listener (per-connection monitor, user session, internal-sftp). */
  sessionPids(): number[] {
    const pid = this.child?.pid;
    if (!pid) return [];
    const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim().split(/\s+/).map(Number))
      .filter((r) => r.length === 2 && r[0] > 0);
    const out: number[] = [];
    const walk = (parent: number): void => {
      for (const [p, pp] of rows) if (pp === parent && !out.includes(p)) (out.push(p), walk(p));
    };
    walk(pid);
    return out;
  }

  /** SIGKILL the given pids (from sessionPids(), taken before the listener goes). */
  static kill(pids: number[]): number {
    let n = 0;
    for (const p of pids) {
      try {
        process.kill(p, 'SIGKILL');
        n++;
      } catch {
        /* already gone */
      }
    }
    return n;
  }

  /** SIGKILL every per-connection sshd process (and their children): every session dies. */
  killSessions(): number {
    return PrivateSshd.kill(this.sessionPids());
  }

  /** Stop the listener itself (SIGKILL: sshd "crashes"); up() starts it again. Sessions stay. */
  killListener(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  target(): ResolvedHost {
    const h = this.h;
    if (!h) throw new Error('target() needs a private sshd started for the test host (PrivateSshd.start)');
    return {
      alias: this.alias,
      hostName: '127.0.0.1',
      port: this.port,
      user: h.user,
      identityFiles: [h.identityFile],
      identitiesOnly: true,
      agentDisabled: true,
      knownHostsFiles: [path.join(this.dir, 'known_hosts')],
      proxyJump: [],
      source: 'settings',
    } as ResolvedHost;
  }

  async stop(): Promise<void> {
    this.killSessions();
    await this.killListener();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
