// Runs INSIDE the VS Code extension host (loaded as extensionTestsPath by bench/activation.mjs) in an
// empty workspace, so nothing has activated the extension yet. Measures one activation and prints a
// single JSON line behind the runner's log prefix. The mode comes from the server's environment:
//   api:   performance.now() around extension.activate(): loading dist/extension.js + activate()
//          until its promise resolves (what VS Code reports as the activation time).
//   event: from opening a YAML document (the onLanguage:yaml activation event a user triggers) until
//          extension.isActive, polled every millisecond; includes the workbench round trip.
import { performance } from 'perf_hooks';
import * as vscode from 'vscode';

const EXTENSION_ID = 'lsst-ts.efd-salkafka';

function report(result: Record<string, unknown>): void {
  console.log(`${process.env.SALKAFKA_VSCODE_LOG_PREFIX ?? ''}SALKAFKA_BENCH ${JSON.stringify(result)}`);
}

async function waitActive(ext: vscode.Extension<unknown>, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!ext.isActive) {
    if (performance.now() > deadline) throw new Error(`${EXTENSION_ID} not active ${timeoutMs} ms after the activation event`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

export async function run(): Promise<void> {
  const mode = process.env.SALKAFKA_BENCH_MODE === 'event' ? 'event' : 'api';
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded in the extension host`);
  if (ext.isActive) {
    throw new Error(`${EXTENSION_ID} was already active before the measurement (workspace not empty?): nothing to measure`);
  }
  // Built-in extensions activate during the first seconds of a new extension host; measuring then
  // would time the contention, not our extension. Let the host settle first.
  const settleMs = Number(process.env.SALKAFKA_BENCH_SETTLE_MS ?? 3000);
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  if (ext.isActive) throw new Error(`${EXTENSION_ID} became active while settling: something else activated it`);

  const t0 = performance.now();
  if (mode === 'api') {
    await ext.activate();
  } else {
    await vscode.workspace.openTextDocument({ language: 'yaml', content: 'services: {}\n' });
    await waitActive(ext, 30_000);
  }
  const ms = performance.now() - t0;
  report({ mode, activationMs: Number(ms.toFixed(2)), nodeVersion: process.version });
  // Keep the extension host alive so the runner can read VS Code's own activation times
  // (codeLoadingTime / activateCallTime / activateResolvedTime) from the workbench; the runner
  // stops the workbench when done, so this wait normally never ends by itself.
  const holdMs = Number(process.env.SALKAFKA_BENCH_HOLD_MS ?? 0);
  if (holdMs > 0) await new Promise((resolve) => setTimeout(resolve, holdMs));
}
