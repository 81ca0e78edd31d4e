// Quoting for every command we send to a remote host.
//
// sshd runs an exec request as `$SHELL -c '<command>'` with the user's LOGIN shell, which may be
// bash, dash, zsh, fish or tcsh. Their quoting rules differ (fish treats \' and \\ specially inside
// single quotes, so a trailing backslash in a POSIX-quoted word breaks out; tcsh rejects newlines
// inside quotes and expands ! history). So the command line we send never carries the arguments
// in shell syntax at all: it is the fixed text
//
//     sh -c '<RUNNER>' salkafka-run <base64>
//
// where RUNNER has no backslash, single quote, "!" or newline (so every login shell above passes
// it unchanged to /bin/sh) and <base64> is [A-Za-z0-9+/=] only (no login shell gives it meaning).
// /bin/sh, always a POSIX shell, decodes the payload — a POSIX-quoted command line (shellJoin) —
// and evaluates it. Tested against the real shells in test/unit/ssh/shellQuote.test.ts.

/** Raised when an argument cannot be passed through a shell at all (NUL bytes). */
export class UnquotableArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnquotableArgumentError';
  }
}

/** Quote one word for a POSIX shell. Rejects NUL: C strings (argv) cannot carry it. */
export function shellQuote(word: string): string {
  if (typeof word !== 'string') {
    throw new UnquotableArgumentError(`shell argument must be a string, got ${typeof word}`);
  }
  if (word.includes('\0')) {
    throw new UnquotableArgumentError(
      'refusing a shell argument that contains a NUL byte (it would be silently truncated)',
    );
  }
  // Inside single quotes a POSIX shell expands nothing ($(), ``, $VAR, ;, newlines are literal);
  // an embedded single quote becomes '\'' (close, escaped quote, reopen).
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Quote every element of argv and join with spaces: a POSIX command line with no unquoted input. */
export function shellJoin(argv: readonly string[]): string {
  if (!Array.isArray(argv) || argv.length === 0) {
    throw new UnquotableArgumentError('a command needs at least one argument');
  }
  return argv.map(shellQuote).join(' ');
}

/** POSIX `cd <dir> && <argv>`; the `&&` means nothing runs when the directory is missing. */
export function posixCommand(argv: readonly string[], cwd?: string): string {
  const command = shellJoin(argv);
  return cwd === undefined ? command : `cd ${shellQuote(cwd)} && ${command}`;
}

/**
 * The fixed /bin/sh script: decode $1 and evaluate it. A failed decode (no base64 on the host)
 * exits 126 instead of evaluating an empty string, which would look like success.
 */
export const REMOTE_RUNNER = 'c=$(printf %s "$1" | base64 -d) || exit 126; eval "$c"';
/** $0 of the runner: what `ps` on the host shows. */
export const REMOTE_RUNNER_NAME = 'salkafka-run';

/**
 * The exec-request text for argv (optionally in cwd) that means the same under any login shell:
 * see the header comment. The payload `exec`s the program so it replaces the runner: a signal
 * sshd delivers (a cancelled command) reaches the program itself, and its parent is the
 * session's process as before.
 */
export function shellCommand(argv: readonly string[], cwd?: string): string {
  const run = `exec ${shellJoin(argv)}`;
  const script = cwd === undefined ? run : `cd ${shellQuote(cwd)} && ${run}`;
  const payload = Buffer.from(script, 'utf8').toString('base64');
  return `sh -c '${REMOTE_RUNNER}' ${REMOTE_RUNNER_NAME} ${payload}`;
}

/** Inverse of shellCommand's payload, for logs and tests: the POSIX command line it carries. */
export function decodeShellCommand(command: string): string | undefined {
  const m = /^sh -c '[^']*' \S+ ([A-Za-z0-9+/=]+)$/.exec(command);
  return m ? Buffer.from(m[1], 'base64').toString('utf8') : undefined;
}
