// HTML shell for our webviews: local script and style from media/, strict CSP with a nonce.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { LOG_PANE_BODY, QUEUE_HEALTH_BODY } from './webviewBodies';

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, script: string, style: string, title: string, body: string): string {
  const nonce = randomBytes(16).toString('base64');
  const scriptUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', script));
  const styleUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', style));
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; img-src ${webview.cspSource} data:; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${styleUri}">
<title>${esc(title)}</title>
</head>
<body>
${body}
<script nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}

/** The log pane's page (one producer or several merged): the same bar, the same virtual list. */
export function logPaneHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  return webviewHtml(webview, extensionUri, 'logPane.js', 'logPane.css', title, LOG_PANE_BODY);
}

export function queueHealthHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  return webviewHtml(webview, extensionUri, 'queueHealth.js', 'queueHealth.css', title, QUEUE_HEALTH_BODY);
}
