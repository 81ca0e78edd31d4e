import * as vscode from 'vscode';

export const REMOTE_SCHEME = 'salkafka';

/** `salkafka://azar2/deploy-lsst/…/docker-compose.yaml` ↔ (alias, absolute path on the host). */
export function remoteUri(alias: string, path: string): vscode.Uri {
  return vscode.Uri.from({ scheme: REMOTE_SCHEME, authority: alias, path: path.startsWith('/') ? path : `/${path}` });
}

export function parseRemoteUri(uri: vscode.Uri): { alias: string; path: string } {
  if (uri.scheme !== REMOTE_SCHEME || !uri.authority) throw vscode.FileSystemError.FileNotFound(uri);
  return { alias: uri.authority, path: uri.path };
}
