// OpenSSH known_hosts: parsing, matching (plain, wildcard, negated and hashed host patterns,
// [host]:port), host-key verdicts and appending new keys. Pure Node, no ssh2 dependency, so it
// is unit-testable with fixture files.
import { createHash, createHmac, randomBytes } from 'node:crypto';
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

/**
 * How known_hosts names a host: plain for port 22, `[host]:port` otherwise. Lower case, as ssh
 * lowercases the host name before any lookup, hashing or writing (`ssh AZAR2` finds the entry
 * `ssh-keygen -H` hashed from "azar2"; ssh-keygen -F itself does not lowercase its query).
 */
export function knownHostName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
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
 * Verdict for a key the host presented, as OpenSSH's check_hostkeys_by_key_or_type (hostfile.c)
 * decides it over the entries of every user and global file that name this host:
 *  - a plain entry (no marker) with this exact key: match;
 *  - otherwise any plain entry for the host, of ANY key type, makes it CHANGED (OpenSSH 9 says
 *    "REMOTE HOST IDENTIFICATION HAS CHANGED" for an ED25519 key when only an ECDSA key is known;
 *    that is why the algorithm order must prefer the known types, see orderHostKeyAlgorithms);
 *  - no plain entry: unknown. @cert-authority lines only vouch for certificates, never for a
 *    plain key, so a host known only through a CA line is unknown here, as in OpenSSH;
 *  - finally, an @revoked entry FOR THIS HOST with this key overrides all of the above.
 * The offending entry of a CHANGED verdict is the last non-matching one, as OpenSSH reports it.
 */
export function checkHostKey(
  entries: readonly KnownHostEntry[],
  host: string,
  port: number,
  keyType: string,
  keyBlob: Buffer,
): HostKeyVerdict {
  const forHost = entries.filter((e) => entryMatchesHost(e, host, port));
  const revoked = forHost.find((e) => e.marker === 'revoked' && e.keyBlob.equals(keyBlob));
  if (revoked) return { status: 'revoked', entry: revoked };
  const plain = forHost.filter((e) => e.marker === undefined);
  const exact = plain.find((e) => e.keyBlob.equals(keyBlob));
  if (exact) return { status: 'match', entry: exact };
  const offending = plain[plain.length - 1];
  if (offending) return { status: 'changed', entry: offending, knownFingerprint: fingerprintSha256(offending.keyBlob) };
  void keyType; // kept in the signature: the verdict no longer depends on it (see above)
  return { status: 'unknown' };
}

/**
 * Host key algorithms in the order OpenSSH asks for them (order_hostkeyalgs in sshconnect2.c):
 * the algorithms whose key type known_hosts already holds for this host come first, in the
 * default order, then the rest. A host known by its ECDSA or RSA key is thus asked for that key,
 * and a normal connection never presents a key of another type (which would be CHANGED above).
 * ECDSA algorithms are per curve; RSA keys ("ssh-rsa" in known_hosts) serve every RSA signature
 * algorithm. `supported` is the client's own list in its preferred order.
 */
export function orderHostKeyAlgorithms(
  entries: readonly KnownHostEntry[],
  host: string,
  port: number,
  supported: readonly string[],
): string[] {
  const known = new Set(entries.filter((e) => e.marker === undefined && entryMatchesHost(e, host, port)).map((e) => keyTypeOfEntry(e)));
  const keyTypeOfAlgorithm = (alg: string): string => (alg === 'rsa-sha2-256' || alg === 'rsa-sha2-512' ? 'ssh-rsa' : alg);
  const first = supported.filter((a) => known.has(keyTypeOfAlgorithm(a)));
  return [...first, ...supported.filter((a) => !first.includes(a))];
}

function keyTypeOfEntry(e: KnownHostEntry): string {
  try {
    return keyTypeOfBlob(e.keyBlob);
  } catch {
    return e.keyType;
  }
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

/** `|1|salt|hash` for a host name, as `ssh-keygen -H` and HashKnownHosts write it. */
export function hashHostName(name: string, salt: Buffer = randomBytes(20)): string {
  const h = createHmac('sha1', salt).update(name).digest();
  return `|1|${salt.toString('base64')}|${h.toString('base64')}`;
}

/**
 * Append `host key` in OpenSSH format (lower-case name; hashed when HashKnownHosts is yes),
 * creating the file (0600) and its directory (0700).
 */
export function appendKnownHost(file: string, host: string, port: number, keyBlob: Buffer, opts: { hash?: boolean } = {}): string {
  const keyType = keyTypeOfBlob(keyBlob);
  const name = knownHostName(host, port);
  const line = `${opts.hash ? hashHostName(name) : name} ${keyType} ${keyBlob.toString('base64')}\n`;
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
