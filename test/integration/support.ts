// Shared setup for integration tests on the real local test host (test/host/up.sh).
// With SALKAFKA_REQUIRE_HOST=1 (CI, the README's test command) a missing host FAILS the
// run; otherwise the suite is skipped with the reason printed loudly.
import { ensureTestHost } from './testHost';
import { HostConnection } from '../../src/core/ssh/hostConnection';
import type { HostConnectionOptions } from '../../src/core/ssh/hostConnection';
import type { ResolvedHost } from '../../src/core/ssh/resolveHost';

export type TestHost = Awaited<ReturnType<typeof ensureTestHost>>;

export async function hostOrSkip(ctx: Mocha.Context, suite: string): Promise<TestHost> {
  try {
    return await ensureTestHost();
  } catch (err) {
    if (process.env.SALKAFKA_REQUIRE_HOST === '1') throw err;
    console.warn(`\n  !!! SKIPPING ${suite}: test host unavailable: ${(err as Error).message}\n`);
    ctx.skip();
    throw err; // unreachable: skip() throws
  }
}

/** The test host as host resolution would produce it, key auth only. */
export function testTarget(h: TestHost, over: Partial<ResolvedHost> = {}): ResolvedHost {
  return {
    alias: 'azar2-test',
    hostName: h.host,
    port: h.port,
    user: h.user,
    identityFiles: [h.identityFile],
    identitiesOnly: true,
    identityAgent: undefined,
    agentDisabled: true,
    knownHostsFiles: [h.knownHostsFile],
    proxyJump: [],
    source: 'settings',
    ...over,
  };
}

/** Connected HostConnections opened by a suite; call closeAll() in `after`. */
export class Connections {
  private readonly open: HostConnection[] = [];

  async connect(h: TestHost, opts: HostConnectionOptions = {}, over: Partial<ResolvedHost> = {}): Promise<HostConnection> {
    const c = new HostConnection(testTarget(h, over), { reconnect: { initialDelayMs: 200, maxDelayMs: 2000 }, ...opts });
    this.open.push(c);
    await c.connect();
    return c;
  }

  closeAll(): void {
    for (const c of this.open.splice(0)) c.dispose();
  }
}
