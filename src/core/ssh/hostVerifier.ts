// Host key verification for one hop, decided BEFORE authentication: when this says no, ssh2
// tears the connection down during key exchange, so no command, SFTP or Docker request can run.
// The decision is OpenSSH's (check_host_key in sshconnect.c), over the same files: the user's
// known_hosts files, then the global ones (/etc/ssh/ssh_known_hosts{,2} or GlobalKnownHostsFile),
// with StrictHostKeyChecking from ssh_config. test/integration/hostKeysOpenSsh.test.ts runs the
// real `ssh` beside this code against one sshd and asserts the same verdict for every case.
import {
  appendKnownHost,
  checkHostKey,
  fingerprintSha256,
  hostKeyChangedMessage,
  keyTypeLabel,
  keyTypeOfBlob,
  knownHostName,
  loadKnownHosts,
  orderHostKeyAlgorithms,
} from './knownHosts';
import { HostKeyChangedError, HostKeyRejectedError, HostKeyRevokedError } from './errors';

/**
 * StrictHostKeyChecking as OpenSSH reads it: yes|true, accept-new, no|false|off, ask (default).
 * One deliberate difference: under `no`, OpenSSH still connects to a host whose key CHANGED or is
 * REVOKED (with password and keyboard-interactive disabled); this extension changes files and
 * restarts producers on the host, so it refuses those in every mode.
 */
export type StrictHostKeyChecking = 'yes' | 'accept-new' | 'no' | 'ask';

export function parseStrictHostKeyChecking(value: string | undefined): StrictHostKeyChecking {
  switch ((value ?? '').trim().toLowerCase()) {
    case 'yes':
    case 'true':
      return 'yes';
    case 'accept-new':
      return 'accept-new';
    case 'no':
    case 'false':
    case 'off':
      return 'no';
    default:
      return 'ask';
  }
}

export interface UnknownHostInfo {
  host: string;
  port: number;
  /** `SHA256:…` as `ssh-keygen -lf` prints it. */
  fingerprint: string;
  /** Short label (ED25519, RSA, ECDSA) */
  keyType: string;
  /** Where 'always' will save the key. */
  knownHostsFile: string;
}

export type UnknownHostDecision = 'once' | 'always' | 'reject';

export interface VerifyContext {
  host: string;
  port: number;
  /** User files (UserKnownHostsFile or efdSalkafka.knownHostsFile); new keys go to the first. */
  knownHostsFiles: string[];
  /** Read-only global files (GlobalKnownHostsFile; default /etc/ssh/ssh_known_hosts{,2}). */
  globalKnownHostsFiles?: string[];
  strictHostKeyChecking?: StrictHostKeyChecking;
  /** HashKnownHosts: write new entries hashed. */
  hashKnownHosts?: boolean;
  onUnknownHost?: (info: UnknownHostInfo) => Promise<UnknownHostDecision>;
  /** Keys accepted 'once' in this session, so a reconnect does not ask again. */
  acceptedOnce: Map<string, Buffer>;
  log?: (line: string) => void;
}

/** ssh2's host key algorithms (its default order), OpenSSH's default order among them. */
export const SSH2_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/**
 * The `algorithms.serverHostKey` list for this hop: known key types first, as OpenSSH does, so a
 * host known by its ECDSA or RSA key is asked for that key (see orderHostKeyAlgorithms).
 */
export function serverHostKeyAlgorithms(hop: { hostName: string; port: number; knownHostsFiles: string[]; globalKnownHostsFiles?: string[] }): string[] {
  let entries;
  try {
    entries = loadKnownHosts([...hop.knownHostsFiles, ...(hop.globalKnownHostsFiles ?? [])]);
  } catch {
    return [...SSH2_HOST_KEY_ALGORITHMS]; // unreadable file: the verifier reports it in a moment
  }
  return orderHostKeyAlgorithms(entries, hop.hostName, hop.port, SSH2_HOST_KEY_ALGORITHMS);
}

/** Resolves to undefined when the key is acceptable, or to the error that must end the connection. */
export async function verifyHostKey(ctx: VerifyContext, keyBlob: Buffer): Promise<Error | undefined> {
  const keyType = keyTypeOfBlob(keyBlob);
  const label = keyTypeLabel(keyType);
  const fingerprint = fingerprintSha256(keyBlob);
  const name = knownHostName(ctx.host, ctx.port);
  const strict = ctx.strictHostKeyChecking ?? 'ask';
  const entries = loadKnownHosts([...ctx.knownHostsFiles, ...(ctx.globalKnownHostsFiles ?? [])]);
  const verdict = checkHostKey(entries, ctx.host, ctx.port, keyType, keyBlob);
  switch (verdict.status) {
    case 'match':
      return undefined;
    case 'revoked':
      // OpenSSH's words (sshconnect.c), then where the @revoked line is.
      return new HostKeyRevokedError(
        [
          'WARNING: REVOKED HOST KEY DETECTED!',
          `The ${label} host key for ${name} is marked as revoked.`,
          'This could mean that a stolen key is being used to',
          'impersonate this host.',
          `${label} host key for ${name} was revoked (${fingerprint}; @revoked in ${verdict.entry!.file}:${verdict.entry!.line}).`,
          `Host key verification failed: nothing was run on ${ctx.host}.`,
        ].join('\n'),
        ctx.host,
        fingerprint,
      );
    case 'changed':
      return new HostKeyChangedError(
        hostKeyChangedMessage(ctx.host, ctx.port, keyType, fingerprint, verdict.entry!),
        ctx.host,
        ctx.port,
        fingerprint,
        verdict.knownFingerprint!,
        verdict.entry!.file,
        verdict.entry!.line,
      );
    case 'unknown':
      break;
  }
  const knownHostsFile = ctx.knownHostsFiles[0];
  const rejected = (why: string): Error =>
    new HostKeyRejectedError(
      `The authenticity of host ${name} can't be established (${label} key fingerprint ${fingerprint}); ${why}. Nothing was run.`,
      ctx.host,
      fingerprint,
    );
  const save = (): undefined => {
    if (!knownHostsFile) return undefined;
    appendKnownHost(knownHostsFile, ctx.host, ctx.port, keyBlob, { hash: ctx.hashKnownHosts });
    ctx.log?.(`Warning: Permanently added '${name}' (${label}) to the list of known hosts (${knownHostsFile}, ${fingerprint}).`);
    return undefined;
  };
  if (strict === 'yes') {
    return new HostKeyRejectedError(
      `No ${label} host key is known for ${name} and you have requested strict checking (StrictHostKeyChecking yes). ` +
        `Host key verification failed: nothing was run on ${ctx.host}.`,
      ctx.host,
      fingerprint,
    );
  }
  if (strict === 'accept-new' || strict === 'no') return save();
  const onceKey = ctx.acceptedOnce.get(name);
  if (onceKey?.equals(keyBlob)) return undefined;
  if (!ctx.onUnknownHost) return rejected('no one was asked to confirm it');
  const decision = await ctx.onUnknownHost({ host: ctx.host, port: ctx.port, fingerprint, keyType: label, knownHostsFile });
  if (decision === 'always') return save();
  if (decision === 'once') {
    ctx.acceptedOnce.set(name, keyBlob);
    return undefined;
  }
  return rejected('the key was not accepted');
}
