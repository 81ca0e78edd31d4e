import * as vscode from 'vscode';
import type { RemoteChangedError } from '../../core/remote/remoteFiles';

export const SNAPSHOT_SCHEME = 'salkafka-snapshot';

/**
 * Read-only snapshots (the host's current copy, our refused text) for the conflict diff.
 * Kept in memory by id; both versions stay available until the window closes.
 */
export class SnapshotContent implements vscode.TextDocumentContentProvider {
  private readonly snapshots = new Map<string, string>();
  private next = 0;

  put(label: string, text: string): vscode.Uri {
    const id = `${++this.next}`;
    this.snapshots.set(id, text);
    return vscode.Uri.from({ scheme: SNAPSHOT_SCHEME, path: `/${label}`, query: id });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.snapshots.get(uri.query) ?? '';
  }
}

/** Tells the user their save was refused and shows host copy vs. their text side by side. */
export async function showConflict(snapshots: SnapshotContent, uri: vscode.Uri, err: RemoteChangedError, theirs: Uint8Array | undefined, ours: Uint8Array): Promise<void> {
  const decoder = new TextDecoder();
  const name = uri.path.split('/').pop() ?? 'file';
  const left = snapshots.put(`${name} (on the host now)`, theirs ? decoder.decode(theirs) : '');
  const right = snapshots.put(`${name} (your unsaved edit)`, decoder.decode(ours));
  const pick = await vscode.window.showErrorMessage(
    `Not saved: ${err.message} Your text is still in the editor.`,
    { modal: false },
    'Show Differences',
  );
  if (pick === 'Show Differences') {
    await vscode.commands.executeCommand('vscode.diff', left, right, `${name}: host ↔ your edit (not saved)`);
  }
}
