// Host key verification for one hop, decided BEFORE authentication: when this says no, ssh2
// tears the connection down during key exchange, so no command, SFTP or Docker request can run.
import {
  appendKnownHost,
  checkHostKey,
  fingerprintSha256,
  hostKeyChangedMessage,
  keyTypeLabel,
  keyTypeOfBlob,
  knownHostName,
  loadKnownHosts,
} from './knownHosts';
import { HostKeyChangedError, HostKeyRejectedError, HostKeyRevokedError } from './errors';

export interface UnknownHostInfo {
  host: string;
  port: number;
  /** `SHA256:…` as `ssh-keygen -lf` prints it. */
  fingerprint: string;
  /** Short label (ED25519, RSA, ECDSA) */
  keyType: string;
  /** Key types already known for this host: a new type may be legitimate or an attack. */
  otherKnownKeyTypes?: string[];
  /** Where 'always' will save the key. */
  knownHostsFile: string;
}

export type UnknownHostDecision = 'once' | 'always' | 'reject';

export interface VerifyContext {
  host: string;
  port: number;
  knownHostsFiles: string[];
  onUnknownHost?: (info: UnknownHostInfo) => Promise<UnknownHostDecision>;
  /** Keys accepted 'once' in this session, so a reconnect does not ask again. */
  acceptedOnce: Map<string, Buffer>;
  log?: (line: string) => void;
}

/** Resolves to undefined when the key is acceptable, or to the error that must end the connection. */
export async function verifyHostKey(ctx: VerifyContext, keyBlob: Buffer): Promise<Error | undefined> {
  const keyType = keyTypeOfBlob(keyBlob);
  const fingerprint = fingerprintSha256(keyBlob);
  const name = knownHostName(ctx.host, ctx.port);
  const entries = loadKnownHosts(ctx.knownHostsFiles);
  const verdict = checkHostKey(entries, ctx.host, ctx.port, keyType, keyBlob);
  switch (verdict.status) {
    case 'match':
      return undefined;
    case 'revoked':
      return new HostKeyRevokedError(
        `The ${keyTypeLabel(keyType)} host key of ${name} (${fingerprint}) is marked @revoked in ` +
          `${verdict.entry!.file}:${verdict.entry!.line}. Refusing to connect; nothing was run.`,
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
  const onceKey = ctx.acceptedOnce.get(name);
  if (onceKey?.equals(keyBlob)) return undefined;
  const knownHostsFile = ctx.knownHostsFiles[0];
  const rejected = (why: string): Error =>
    new HostKeyRejectedError(
      `The authenticity of host ${name} can't be established (${keyTypeLabel(keyType)} key fingerprint ${fingerprint}); ${why}. Nothing was run.`,
      ctx.host,
      fingerprint,
    );
  if (!ctx.onUnknownHost) return rejected('no one was asked to confirm it');
  const decision = await ctx.onUnknownHost({
    host: ctx.host,
    port: ctx.port,
    fingerprint,
    keyType: keyTypeLabel(keyType),
    otherKnownKeyTypes: verdict.otherKnownKeyTypes?.map(keyTypeLabel),
    knownHostsFile,
  });
  if (decision === 'always') {
    appendKnownHost(knownHostsFile, ctx.host, ctx.port, keyBlob);
    ctx.log?.(`added ${name} (${fingerprint}) to ${knownHostsFile}`);
    return undefined;
  }
  if (decision === 'once') {
    ctx.acceptedOnce.set(name, keyBlob);
    return undefined;
  }
  return rejected('the key was not accepted');
}
