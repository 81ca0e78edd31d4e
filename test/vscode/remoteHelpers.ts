// Shared steps of the remote suites (test/vscode/remote*.test.ts): the real local test host
// (test/host/up.sh, started by the runner), the extension's API (activate() return value), and
// waiting for what the user would see (connected state, producers in the view).
//
// The runner (test/runner/run-code-server.mjs) sets efdSalkafka.host / sshConfigFile in the temp
// workspace; assertRunnerSettings() fails clearly when it did not.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { ConnectionView, ProducersViewRows } from '../../src/features/tree/viewsApi';
import { ensureTestHost, resetTestHost, sshExec, type TestHostInfo } from '../integration/testHost';
import { getExtension, pollUntil } from './helpers';

export type { TestHostInfo };

/** The extension's activate() return value (activates it if needed). */
export async function extensionApi(): Promise<ExtensionApi> {
  const ext = getExtension();
  const api = (await ext.activate()) as ExtensionApi | undefined;
  assert.ok(api && typeof api.views === 'function' && typeof api.ops === 'function', `activate() of ${ext.id} returned ${typeof api}, not { ops(), views() }`);
  return api;
}

/** The settings the runner must have written, checked against the test host's host.json. */
export function assertRunnerSettings(info: TestHostInfo): void {
  const c = vscode.workspace.getConfiguration('efdSalkafka');
  assert.strictEqual(c.get('host'), info.sshAlias, 'efdSalkafka.host is not the test host alias: was the run started by test/runner/run-code-server.mjs?');
  assert.strictEqual(c.get('sshConfigFile'), info.sshConfigFile, 'efdSalkafka.sshConfigFile is not the test host ssh_config');
}

let baseline: Promise<TestHostInfo> | undefined;

/**
 * The test host at its baseline (m2/at running with fresh logs, eas exited, calib not created,
 * orphan running), reset once per run: a previous run or another suite may have changed it.
 * resetAfterChange() re-arms it for the next suite.
 */
export function hostAtBaseline(): Promise<TestHostInfo> {
  baseline ??= (async () => {
    await ensureTestHost();
    return resetTestHost();
  })();
  baseline.catch(() => (baseline = undefined));
  return baseline;
}

/** Back to the baseline after a suite changed the host (the next hostAtBaseline() does not reset again). */
export function resetAfterChange(): Promise<TestHostInfo> {
  baseline = resetTestHost();
  baseline.catch(() => (baseline = undefined));
  return baseline;
}

export async function withTimeout<T>(work: Thenable<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([Promise.resolve(work), limit]);
  } finally {
    clearTimeout(timer);
  }
}

export function describeConnection(c: ConnectionView): string {
  return `${c.alias}: ${c.state}${c.docker ? `, docker ${c.docker.ok ? 'OK' : `NOT OK (${c.docker.message})`}` : ', docker not checked yet'}`;
}

export function describeRows(rows: ProducersViewRows): string {
  if (!rows.host) return '(no host row: the view shows its "Connect" welcome)';
  const lines = [`${rows.host.label} — ${rows.host.description}`];
  for (const m of rows.messages) lines.push(`  [message] ${m}`);
  for (const p of rows.producers) lines.push(`  ${p.label} — ${p.description} [state=${p.state}${p.orphan ? ', orphan' : ''}, icon=${p.icon}, cscs=${p.cscs.join(' ')}]`);
  return lines.join('\n');
}

const CONNECT_TIMEOUT_MS = 30_000;

/** Connects through the command (unless connected) and waits for the Docker verdict. */
export async function connected(api: ExtensionApi): Promise<ConnectionView> {
  const views = await api.views();
  if (views.connection().state !== 'connected') {
    await withTimeout(
      vscode.commands.executeCommand('efdSalkafka.connect'),
      CONNECT_TIMEOUT_MS,
      'efdSalkafka.connect (a prompt — unknown host key, passphrase — may be waiting for an answer nobody gives)',
    );
  }
  const c = await pollUntil(() => views.connection(), (v) => v.state === 'connected' && v.docker !== undefined, 10_000);
  assert.ok(c.state === 'connected' && c.docker?.ok, `not connected with Docker access: ${describeConnection(c)}`);
  return c;
}

/** Waits until the producers view lists `names` (the watcher has read containers and compose file). */
export async function producersListed(api: ExtensionApi, names: string[], timeoutMs = 20_000): Promise<ProducersViewRows> {
  const views = await api.views();
  const rows = await pollUntil(
    () => views.producersView(),
    (r) => names.every((n) => r.producers.some((p) => p.label === n)),
    timeoutMs,
    200,
  );
  const missing = names.filter((n) => !rows.producers.some((p) => p.label === n));
  assert.deepStrictEqual(missing, [], `the producers view does not list ${missing.join(', ')} after ${timeoutMs / 1000} s:\n${describeRows(rows)}`);
  return rows;
}

/** Runs a command on the test host as its ssh user, through the system ssh client and the test host's ssh_config. */
export async function onHost(info: TestHostInfo, cmd: string): Promise<string> {
  const r = await sshExec(info, cmd, { timeoutMs: 30_000 });
  assert.strictEqual(r.code, 0, `ssh ${info.sshAlias} ${cmd} failed (${r.code}): ${r.stderr || r.stdout}`);
  return r.stdout;
}
