// Entry point: only wiring. Each feature registers itself and returns its disposables;
// logic lives in src/core and adapters in src/features.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  void context;
}

export function deactivate(): void {}
