// Workspace trust for the remote half. A workspace can carry settings (host, compose path,
// production lists, ssh config file); in Restricted Mode VS Code ignores ours
// (package.json restrictedConfigurations) and we go further: nothing connects to a host, reads
// or writes a host's files, or changes a producer until the user trusts the workspace. Checking
// compose files stays available: it reads nothing but the open document and its env files.
import * as vscode from 'vscode';

export const TRUST_MESSAGE =
  'EFD SAL Kafka: connecting to producers hosts and changing producers need a trusted workspace. In Restricted Mode only compose file checking is available.';

export class WorkspaceNotTrustedError extends Error {
  constructor(what: string) {
    super(`${what} needs a trusted workspace (Restricted Mode): trust this folder to use the producers view and change commands.`);
    this.name = 'WorkspaceNotTrustedError';
  }
}

/** Tells the user why nothing happens, with the way out. */
export async function explainTrustNeeded(what: string): Promise<void> {
  const manage = 'Manage Workspace Trust';
  const pick = await vscode.window.showWarningMessage(`${TRUST_MESSAGE} (${what})`, manage);
  if (pick === manage) await vscode.commands.executeCommand('workbench.trust.manage');
}
