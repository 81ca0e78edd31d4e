// Errors a connection attempt can end with. Each carries a message meant for the user as-is.
// Host-key and authentication failures are final: the connection never retries after them.

/** Base for failures where retrying cannot help (and must not happen silently). */
export class FatalConnectionError extends Error {
  readonly fatal = true;
}

/** The host presented a different key than known_hosts records: possible man-in-the-middle. */
export class HostKeyChangedError extends FatalConnectionError {
  constructor(
    message: string,
    readonly host: string,
    readonly port: number,
    readonly fingerprint: string,
    readonly knownFingerprint: string,
    readonly knownHostsFile: string,
    readonly knownHostsLine: number,
  ) {
    super(message);
    this.name = 'HostKeyChangedError';
  }
}

/** The host key is marked @revoked in known_hosts. */
export class HostKeyRevokedError extends FatalConnectionError {
  constructor(message: string, readonly host: string, readonly fingerprint: string) {
    super(message);
    this.name = 'HostKeyRevokedError';
  }
}

/** The host is not in known_hosts and the user (or a missing prompt) declined it. */
export class HostKeyRejectedError extends FatalConnectionError {
  constructor(message: string, readonly host: string, readonly fingerprint: string) {
    super(message);
    this.name = 'HostKeyRejectedError';
  }
}

/** No authentication method (agent, identity files, keyboard-interactive) was accepted. */
export class AuthenticationFailedError extends FatalConnectionError {
  constructor(message: string, readonly host: string, readonly user: string) {
    super(message);
    this.name = 'AuthenticationFailedError';
  }
}

/** Host resolution or configuration problem (bad alias, unreadable ssh config, bad ProxyJump). */
export class HostConfigError extends FatalConnectionError {
  constructor(message: string) {
    super(message);
    this.name = 'HostConfigError';
  }
}


export function isFatalConnectionError(err: unknown): err is FatalConnectionError {
  return err instanceof FatalConnectionError;
}
