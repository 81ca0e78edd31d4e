// Minimal typed event emitter with VS Code-style disposables, so src/core needs no vscode import.
// Part of the Host abstraction: both transports (ssh/, host/local/) and its users stand on it.

export interface Disposable {
  dispose(): void;
}

export class Emitter<T> {
  private listeners = new Set<(value: T) => void>();

  /** Subscribe; dispose the result to unsubscribe. */
  readonly event = (listener: (value: T) => void): Disposable => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const l of [...this.listeners]) {
      try {
        l(value);
      } catch {
        // A failing listener must not stop the connection's own state handling.
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
