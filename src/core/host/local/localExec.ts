// Running a command on this machine for the local transport: argv goes straight to execve
// (child_process.spawn without a shell), so no element is ever parsed by a shell and nothing
// needs quoting. Results mirror what the SSH transport reports for the same situations (exit
// 127 for a missing program, like the login shell says), so callers need not know the transport.
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { CommandAbortedError } from '../host';
import type { ExecOptions, ExecResult } from '../host';

export async function localExec(alias: string, argv: readonly string[], opts: ExecOptions = {}, env?: NodeJS.ProcessEnv): Promise<ExecResult> {
  if (argv.length === 0 || !argv[0]) throw new Error('no command given');
  if (argv.some((a) => a.includes('\0'))) throw new Error(`refusing to run ${argv[0]}: an argument contains a NUL byte`);
  if (opts.cwd !== undefined && !(await stat(opts.cwd).then((s) => s.isDirectory(), () => false))) {
    // Same outcome as `cd '<dir>' && …` over SSH: nothing runs, a non-zero status says why.
    return { code: 2, signal: null, stdout: '', stderr: `cd: ${opts.cwd}: No such file or directory\n` };
  }
  if (opts.signal?.aborted) throw new CommandAbortedError(`cancelled before running ${argv[0]}`);
  const shown = argv.join(' ').slice(0, 120);
  return new Promise<ExecResult>((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: opts.cwd, env: env ?? process.env, shell: false, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const errOut: Buffer[] = [];
    let settled = false;
    const onAbort = (): void => {
      if (settled) return;
      settled = true;
      child.kill('SIGTERM');
      reject(new CommandAbortedError(`\`${shown}\` was cancelled on ${alias}`));
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => {
      out.push(d);
      opts.onStdout?.(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      errOut.push(d);
      opts.onStderr?.(d);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (settled) return;
      settled = true;
      // A program that is not there (or not executable) is an exit status for a shell, not an
      // exception: report it the way `sh` would over SSH.
      if (err.code === 'ENOENT') resolve({ code: 127, signal: null, stdout: '', stderr: `${argv[0]}: not found\n` });
      else if (err.code === 'EACCES') resolve({ code: 126, signal: null, stdout: '', stderr: `${argv[0]}: Permission denied\n` });
      else reject(new Error(`could not start \`${shown}\` on ${alias}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (settled) return;
      settled = true;
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errOut).toString('utf8') });
    });
    // A child that never reads stdin closes it early; that EPIPE is not our error.
    child.stdin.on('error', () => undefined);
    if (opts.stdin !== undefined) child.stdin.end(opts.stdin);
    else child.stdin.end();
  });
}
