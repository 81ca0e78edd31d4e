// POSIX shell quoting for every argument we send to a remote shell.
// Each word is wrapped in single quotes; an embedded single quote becomes '\'' (close, escaped
// quote, reopen). Inside single quotes a POSIX shell expands nothing ($(), ``, $VAR, ;, newlines
// are all literal), so the remote program receives exactly the bytes we were given.

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
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Quote every element of argv and join with spaces: a command line with no unquoted input. */
export function shellJoin(argv: readonly string[]): string {
  if (!Array.isArray(argv) || argv.length === 0) {
    throw new UnquotableArgumentError('a command needs at least one argument');
  }
  return argv.map(shellQuote).join(' ');
}

/** `cd <dir> && <argv>`; the `&&` means nothing runs when the directory is missing. */
export function shellCommand(argv: readonly string[], cwd?: string): string {
  const command = shellJoin(argv);
  return cwd === undefined ? command : `cd ${shellQuote(cwd)} && ${command}`;
}
