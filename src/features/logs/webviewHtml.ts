// HTML shell for our webviews: local script and style from media/, strict CSP with a nonce.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

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
  return webviewHtml(webview, extensionUri, 'logPane.js', 'logPane.css', title, `
<header id="bar">
  <input id="filter" type="search" placeholder="Filter (text, or /regex/)" aria-label="Filter">
  <label><input id="follow" type="checkbox" checked> Follow</label>
  <label><input id="timestamps" type="checkbox"> Timestamps</label>
  <label><input id="problems" type="checkbox"> Warnings/errors only</label>
  <button id="clear" title="Clear the pane (the host keeps following)">Clear</button>
  <button id="copy" title="Copy the lines that match the filter">Copy</button>
  <button id="save" title="Save the lines that match the filter to a file">Save…</button>
  <span id="status"></span>
</header>
<div id="viewport" tabindex="0"><div id="spacer"></div><div id="rows"></div></div>`);
}
