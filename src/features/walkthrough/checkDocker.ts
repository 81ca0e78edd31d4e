// Walkthrough step 2, "Check Docker access": connects to the host (SSH or local) and reports the
// Docker verdict in words (version, or exactly what is missing: docker group, daemon down, …).
import * as vscode from 'vscode';
import type { DockerAccessResult } from '../../core/docker/dockerAccess';
import type { ConnectionManager } from '../connection';
import { chooseHost } from '../connection/chooseHost';

export async function checkDocker(manager: ConnectionManager, arg?: unknown): Promise<DockerAccessResult | undefined> {
  const alias = await chooseHost(manager, arg, 'Check Docker access on which host?');
  if (!alias) return undefined;
  try {
    await (manager.connected(alias) ?? manager.connect(alias));
  } catch {
    return undefined; // the manager told the user why
  }
  // The verdict is taken right after connecting; wait for it (a few round trips).
  let access = manager.dockerAccess(alias);
  for (let i = 0; i < 100 && !access; i++) {
    await new Promise((r) => setTimeout(r, 100));
    access = manager.dockerAccess(alias);
  }
  if (!access) {
    void vscode.window.showWarningMessage(`EFD SAL Kafka: connected to ${alias}, but the Docker check did not answer within 10 s.`);
    return undefined;
  }
  const via = manager.get(alias)?.dockerTransport ?? '';
  if (access.ok) void vscode.window.showInformationMessage(`EFD SAL Kafka: Docker ${access.serverVersion} on ${alias} is usable (${via}). Next: open the compose file.`);
  else void vscode.window.showErrorMessage(`EFD SAL Kafka: ${access.message}`);
  return access;
}
