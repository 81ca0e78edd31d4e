// OpenSSH known_hosts: parsing, matching (plain, wildcard, negated and hashed host patterns,
// [host]:port), host-key verdicts and appending new keys. Pure Node, no ssh2 dependency, so it
// is unit-testable with fixture files.
import { createHash, createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export type KnownHostMarker = 'revoked' | 'cert-authority';

export interface KnownHostEntry {
  file: string;
  /** 1-based line number, as OpenSSH prints it ("Offending key in FILE:LINE"). */
  line: number;
  marker?: KnownHostMarker;
  /** Comma-separated patterns, or undefined for a hashed entry. */
  patterns?: string[];
  hashed?: { salt: Buffer; hash: Buffer };
  keyType: string;
  keyBlob: Buffer;
}

export type HostKeyStatus = 'match' | 'unknown' | 'changed' | 'revoked';

export interface HostKeyVerdict {
  status: HostKeyStatus;
  /** For 'changed': fingerprint of the key known_hosts expects. */
  knownFingerprint?: string;
  /** For 'changed'/'revoked'/'match': the entry that decided. */
  entry?: KnownHostEntry;
  /** For 'unknown': key types already known for this host (OpenSSH mentions them too). */
  otherKnownKeyTypes?: string[];
}

/** `SHA256:<base64 without padding>`: the format `ssh-keygen -lf` and OpenSSH warnings print. */
export function fingerprintSha256(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type string embedded at the start of an SSH public key blob ("ssh-ed25519", …). */
export function keyTypeOfBlob(keyBlob: Buffer): string {
  if (keyBlob.length < 4) throw new Error('host key blob too short');
  const len = keyBlob.readUInt32BE(0);
  if (len <= 0 || len > 64 || 4 + len > keyBlob.length) throw new Error('malformed host key blob');
  return keyBlob.subarray(4, 4 + len).toString('latin1');
}

/** OpenSSH's short key label used in messages: ED25519, RSA, ECDSA, DSA, ED25519-SK, ECDSA-SK. */
export function keyTypeLabel(keyType: string): string {
  if (keyType.startsWith('sk-ssh-ed25519')) return 'ED25519-SK';
  if (keyType.startsWith('sk-ecdsa')) return 'ECDSA-SK';
  if (keyType.startsWith('ssh-ed25519')) return 'ED25519';
  if (keyType.startsWith('ssh-rsa') || keyType.startsWith('rsa-sha2')) return 'RSA';
  if (keyType.startsWith('ecdsa-')) return 'ECDSA';
  if (keyType.startsWith('ssh-dss')) return 'DSA';
  return keyType.toUpperCase();
}

/** How known_hosts names a host: plain for port 22, `[host]:port` otherwise. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i].trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const fields = trimmed.split(/\s+/);
    let marker: KnownHostMarker | undefined;
    if (fields[0].startsWith('@')) {
      const m = fields.shift()!.slice(1);
      if (m !== 'revoked' && m !== 'cert-authority') continue; // unknown marker: OpenSSH ignores the line
      marker = m;
    }
    if (fields.length < 3) continue;
    const [hostField, keyType, keyB64] = fields;
    const keyBlob = Buffer.from(keyB64, 'base64');
    if (keyBlob.length === 0) continue;
    const entry: KnownHostEntry = { file, line: i + 1, marker, keyType, keyBlob };
    if (hostField.startsWith('|1|')) {
      const [, , salt, hash] = hostField.split('|');
      if (!salt || !hash) continue;
      entry.hashed = { salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
    } else {
      entry.patterns = hostField.split(',').filter(Boolean);
    }
    entries.push(entry);
  }
  return entries;
}

/** Read and parse several known_hosts files; a missing file is simply empty. */
export function loadKnownHosts(files: readonly string[]): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new Error(`cannot read known_hosts file ${f}: ${(err as Error).message}`);
    }
    out.push(...parseKnownHosts(text, f));
  }
  return out;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** True when an entry names this host (its hashed or pattern list, with negation). */
export function entryMatchesHost(entry: KnownHostEntry, host: string, port: number): boolean {
  const name = knownHostName(host, port);
  if (entry.hashed) {
    const h = createHmac('sha1', entry.hashed.salt).update(name).digest();
    return h.length === entry.hashed.hash.length && h.equals(entry.hashed.hash);
  }
  let matched = false;
  for (const p of entry.patterns ?? []) {
    const negated = p.startsWith('!');
    const pat = negated ? p.slice(1) : p;
    if (globToRegExp(pat).test(name)) {
      if (negated) return false; // a matching negation rejects the whole line
      matched = true;
    }
  }
  return matched;
}

/**
 * Verdict for a key the host presented. Order follows OpenSSH: a revoked key is refused whatever
 * else matches; a matching key of the same type is accepted; a different key of the same type
 * means the host identification has CHANGED; otherwise the host (or this key type) is unknown.
 */
export function checkHostKey(
  entries: readonly KnownHostEntry[],
  host: string,
  port: number,
  keyType: string,
  keyBlob: Buffer,
): HostKeyVerdict {
  const revoked = entries.find((e) => e.marker === 'revoked' && e.keyBlob.equals(keyBlob));
  if (revoked) return { status: 'revoked', entry: revoked };
  const forHost = entries.filter((e) => e.marker === undefined && entryMatchesHost(e, host, port));
  const exact = forHost.find((e) => e.keyBlob.equals(keyBlob));
  if (exact) return { status: 'match', entry: exact };
  const sameType = forHost.find((e) => keyTypeLabel(e.keyType) === keyTypeLabel(keyType));
  if (sameType) return { status: 'changed', entry: sameType, knownFingerprint: fingerprintSha256(sameType.keyBlob) };
  const other = [...new Set(forHost.map((e) => e.keyType))];
  return other.length ? { status: 'unknown', otherKnownKeyTypes: other } : { status: 'unknown' };
}

/** OpenSSH's changed-host-key warning, in the same words, for the error shown to the user. */
export function hostKeyChangedMessage(
  host: string,
  port: number,
  keyType: string,
  fingerprint: string,
  entry: KnownHostEntry,
): string {
  const label = keyTypeLabel(keyType);
  return [
    'WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!',
    'IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!',
    'Someone could be eavesdropping on you right now (man-in-the-middle attack)!',
    'It is also possible that a host key has just been changed.',
    `The fingerprint for the ${label} key sent by the remote host ${knownHostName(host, port)} is`,
    `${fingerprint}.`,
    `known_hosts expects ${fingerprintSha256(entry.keyBlob)}.`,
    'Please contact your system administrator.',
    `Offending ${keyTypeLabel(entry.keyType)} key in ${entry.file}:${entry.line}`,
    `Host key verification failed: nothing was run on ${host}.`,
  ].join('\n');
}

/** Append `host key` in OpenSSH format, creating the file (0600) and its directory (0700). */
export function appendKnownHost(file: string, host: string, port: number, keyBlob: Buffer): string {
  const keyType = keyTypeOfBlob(keyBlob);
  const line = `${knownHostName(host, port)} ${keyType} ${keyBlob.toString('base64')}\n`;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let prefix = '';
  try {
    const existing = fs.readFileSync(file);
    if (existing.length > 0 && existing[existing.length - 1] !== 0x0a) prefix = '\n';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.appendFileSync(file, prefix + line, { mode: 0o600 });
  return line.trimEnd();
}
