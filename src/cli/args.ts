import { parseArgs } from 'node:util';

export type OutputFormat = 'text' | 'json';

export interface CliArgs {
  files: string[];
  format: OutputFormat;
  /** User catalogue (JSON, same shape as the shipped one), relative to the working directory. */
  catalogue?: string;
  /** Interpolation env files relative to each compose file's directory; undefined = the default (setup.env). */
  envFiles?: string[];
  /** Print on stderr which env files each compose file was checked with. */
  verbose: boolean;
  /** Pre-check instead of the usual checks: what breaks if the producers' image moved to this cycle or tag. */
  againstCycle?: string;
  help: boolean;
  version: boolean;
}

/** Bad command line: printed with a hint to --help, exit code 2. */
export class UsageError extends Error {}

export const USAGE = `Usage: salkafka-lint FILE... [options]

Validates kafka_writers docker-compose files (the SAL Kafka producers feeding the EFD)
with the same checks as the EFD SAL Kafka VS Code extension.

Options:
  --format text|json   Output format (default: text).
                         text: one "file:line:col severity code message" per diagnostic on
                               stdout, then a summary line on stderr.
                         json: one array over all files of
                               {file, line, column, endLine, endColumn, severity, code, message}.
                       Lines and columns are 1-based; columns count UTF-16 code units, like
                       VS Code and ESLint; the end (endLine:endColumn) is exclusive: it is the
                       position just after the last character of the range.
  --catalogue FILE     SAL component catalogue (JSON, same shape as the shipped
                       sal-components.json) used instead of the shipped one. The set of CSCs
                       depends on the ts_xml version inside the producer image.
  -e, --env-file FILE  Env file for \${VAR} interpolation, relative to the compose file's
                       directory; repeatable, later files win, read after the others (see
                       below). Without --env-file, setup.env is looked for in the file's
                       directory and its parents (as the efdSalkafka.envFiles setting); giving
                       --env-file replaces that default (add --env-file setup.env to keep it).
                       The shell environment is not used, so results do not depend on who runs it.
                       A missing FILE is a usage error (exit 2). Run as "node cli.js", Node itself
                       takes a "--env-file FILE" written after the script's name (nodejs/node#54232);
                       the installed salkafka-lint runs "node --" and -e FILE always avoids it.
  --verbose            Print on stderr, per compose file, the env files used (and those
                       named but not found).
  --against-cycle C    Pre-check a cycle upgrade instead of the usual checks: what would break
                       if each producer's image (a values file's image.tag, a compose file's
                       image) were moved to cycle C ("c0037", "37") or image tag C. Reports each
                       CSC the target's ts_xml lacks (cycle-csc-missing, an error: the producer
                       would not start; with the name it was renamed to, or "remove it"), each
                       index the target refuses (cycle-index-invalid) and each index
                       enumeration that changed (cycle-index-changed, info). An unknown cycle is
                       bad usage (exit 2).
  -h, --help           Show this help.
  -v, --version        Show the version.

Env files are found as operators use them: .env beside the file; the files named in the
file's leading comment ("Using this file requires the following environment files
- setup.env - setup_kp.env") and setup.env, each in the file's directory or the nearest
parent up to the repository root (the directory holding .git); then --env-file files.
Variables a login shell sets (PWD, HOME, USER, ...) are never reported unset.
Each service's env_file: entries are read when they exist (relative to the compose file's
directory), so the keys they set count as present. Env files are read only when they are
regular files of at most 1 MiB (a device or FIFO is reported, never read); compose files
over 2 MiB are not checked (one analysis-limit error says so).

Exit status: 0 no errors (warnings and info do not fail), 1 at least one error,
2 bad usage, an unreadable file or catalogue, or an internal error.`;

/** Parses argv (without node and the script). Throws UsageError on a bad command line. */
export function parseCliArgs(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        catalogue: { type: 'string' },
        // -e: Node itself grabs `--env-file` anywhere on a script's command line (see USAGE).
        'env-file': { type: 'string', multiple: true, short: 'e' },
        verbose: { type: 'boolean' },
        'against-cycle': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    // parseArgs messages are user-facing but long ("Unknown option '--x'. To specify a positional…").
    const message = String((err as Error).message).split('\n')[0];
    const unknown = /^Unknown option '([^']*)'/.exec(message);
    throw new UsageError(unknown ? `unknown option ${unknown[1]}` : message);
  }
  const { values, positionals } = parsed;
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    throw new UsageError(`--format must be text or json, not "${format}"`);
  }
  const help = values.help ?? false;
  const version = values.version ?? false;
  if (!help && !version && positionals.length === 0) throw new UsageError('no compose file given');
  if (values['against-cycle'] !== undefined && !values['against-cycle'].trim()) throw new UsageError('--against-cycle needs a cycle (c0037, 37) or an image tag');
  for (const [name, value] of [['--catalogue', values.catalogue], ...(values['env-file'] ?? []).map((v) => ['--env-file', v])]) {
    if (value === '') throw new UsageError(`${name} needs a file name`);
  }
  return {
    files: positionals,
    format,
    catalogue: values.catalogue,
    envFiles: values['env-file'],
    verbose: values.verbose ?? false,
    againstCycle: values['against-cycle'],
    help,
    version,
  };
}
