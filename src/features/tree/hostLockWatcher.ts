// Polls the host lock beside the compose file while connected, so the producers view says
// "being changed by alice: add MTMount" during a colleague's change (and during our own). One
// SFTP read of a tiny file every few seconds; a flock probe only when the file names a holder.
import { hostLockPath, readHostLock } from '../../core/ops/hostLock';
import type { LockState } from '../../core/ops/hostLock';
import type { Host } from '../../core/host/host';

export class HostLockWatcher {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private last = '';
  state: LockState = { state: 'free' };

  constructor(
    private readonly conn: Host,
    private readonly composeFile: () => string,
    private readonly onChange: () => void,
    private readonly periodMs = 5000,
  ) {
    this.timer = setInterval(() => void this.poll(), periodMs);
    void this.poll();
  }

  async poll(): Promise<void> {
    if (this.busy || this.conn.state !== 'connected') return;
    this.busy = true;
    try {
      this.set(await readHostLock(this.conn, hostLockPath(this.composeFile())));
    } catch {
      // Not readable (no permission, no flock): the view just shows no lock.
      this.set({ state: 'free' });
    } finally {
      this.busy = false;
    }
  }

  private set(s: LockState): void {
    const key = JSON.stringify(s);
    if (key === this.last) return;
    this.last = key;
    this.state = s;
    this.onChange();
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
