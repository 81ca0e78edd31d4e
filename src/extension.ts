// Entry point: only wiring. Each feature registers itself and returns what later
// features need; logic lives in src/core and the VS Code adapters in src/features.
import * as vscode from 'vscode';
import { activateLanguageFeatures } from './features/language';

export function activate(context: vscode.ExtensionContext): void {
  activateLanguageFeatures(context);
}

export function deactivate(): void {}
