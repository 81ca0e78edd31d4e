import * as vscode from 'vscode';

/**
 * Stands in for the salkafka: file system until the remote half is loaded: VS Code needs the
 * provider registered at activation, the real one lives in dist/remote.js.
 */
export class DelegatingFileSystem implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private forwarding: vscode.Disposable | undefined;

  constructor(private readonly load: () => Promise<vscode.FileSystemProvider>) {}

  private async target(): Promise<vscode.FileSystemProvider> {
    const fs = await this.load();
    this.forwarding ??= fs.onDidChangeFile((e) => this.changed.fire(e));
    return fs;
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }
  async stat(uri: vscode.Uri) {
    return (await this.target()).stat(uri);
  }
  async readDirectory(uri: vscode.Uri) {
    return (await this.target()).readDirectory(uri);
  }
  async createDirectory(uri: vscode.Uri) {
    return (await this.target()).createDirectory(uri);
  }
  async readFile(uri: vscode.Uri) {
    return (await this.target()).readFile(uri);
  }
  async writeFile(uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }) {
    return (await this.target()).writeFile(uri, content, options);
  }
  async delete(uri: vscode.Uri, options: { recursive: boolean }) {
    return (await this.target()).delete(uri, options);
  }
  async rename(oldUri: vscode.Uri, newUri: vscode.Uri, options: { overwrite: boolean }) {
    return (await this.target()).rename(oldUri, newUri, options);
  }

  dispose(): void {
    this.forwarding?.dispose();
    this.changed.dispose();
  }
}
