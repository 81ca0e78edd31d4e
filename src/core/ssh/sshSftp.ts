// The SFTP session of an SSH connection: opened on first use, shared by every file operation,
// dropped when it closes or the connection is re-established (the next call opens a new one).
import type { Client, SFTPWrapper } from 'ssh2';

export class SftpSession {
  private session: Promise<SFTPWrapper> | undefined;

  constructor(
    private readonly getClient: () => Client,
    private readonly alias: string,
  ) {}

  get(): Promise<SFTPWrapper> {
    if (!this.session) {
      let client: Client;
      try {
        client = this.getClient();
      } catch (err) {
        return Promise.reject(err);
      }
      const p = new Promise<SFTPWrapper>((resolve, reject) => {
        client.sftp((err, sftp) => {
          if (err) return reject(new Error(`SFTP is not available on ${this.alias}: ${err.message}`));
          sftp.on('close', () => {
            if (this.session === p) this.session = undefined;
          });
          resolve(sftp);
        });
      });
      p.catch(() => {
        if (this.session === p) this.session = undefined;
      });
      this.session = p;
    }
    return this.session;
  }

  /** Forget the session (the connection it rode is gone). */
  reset(): void {
    this.session = undefined;
  }
}
