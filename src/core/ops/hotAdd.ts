// Hot add: add a CSC to a RUNNING producer without recreating its container, the way engineers
// do it by hand ("attach, ctrl-c, rerun run_salkafka_producer.py with the new list"). Risky and
// not persistent, so it is off by default and always offered after the safe path.
//
// How it runs: `docker exec <container> sh -c <fixed script> salkafka-hot-add <mode> <pid> <argv…>`.
// The script is a constant; everything variable arrives as positional arguments (quoted by
// HostConnection.exec, never interpolated into script text). The exec'd process inherits the
// container's own environment. Two layouts exist:
//  - the producer is a child of a shell that keeps the container alive (pid ≠ 1): "replace" —
//    SIGINT it (the ctrl-c) and start it again with the old list plus the new CSC;
//  - the producer IS the container's main process (pid 1, e.g. `sh -c "run_salkafka_producer.py …"`
//    which execs it, as in the test host): killing it would stop the container and the restart
//    policy would bring it back with the OLD list. Instead "beside": start a second producer for
//    the new CSC only, writing to the container's log (pid 1's stdout/stderr); the running
//    producer is not touched, so no data of the existing CSCs is lost.
import type { Catalogue } from '../catalogue/catalogue';
import { PRODUCER_VALUE_OPTIONS } from '../compose/cscList';
import { InvalidNameError, validateContainerName, validateCscToken } from '../remote/names';
import { OpsRefusedError } from './errors';
import { displayCommand, planLifecycle } from './plan';
import type { Plan, PlanContext } from './plan';

export const HOT_ADD_RISK =
  'Restarting the producer inside the running container can lose EFD data: while it restarts its DDS read queues are not drained, ' +
  'the change is invisible to docker-compose, and it is undone by the next container restart. The safe path is Add CSC, which edits ' +
  'the compose file and recreates the container with docker-compose up -d.';

/**
 * Lists candidate producer processes: "<pid>\x1e<ppid>\x1e<argv joined by \x1f>" per line.
 * Constant text. The ppid comes from /proc/<pid>/stat after the last ")" (the command name in
 * parentheses may itself contain spaces or parentheses).
 */
export const LIST_PRODUCERS_SCRIPT = [
  'for d in /proc/[0-9]*; do',
  '  [ -r "$d/cmdline" ] || continue',
  "  c=$(tr '\\000' '\\037' < \"$d/cmdline\" 2>/dev/null) || continue",
  '  case $c in *run_salkafka_producer*) ;; *) continue ;; esac',
  '  s=$(cat "$d/stat" 2>/dev/null) || continue',
  '  s=${s##*")"}',
  '  set -- $s',
  "  printf '%s\\036%s\\036%s\\n' \"${d#/proc/}\" \"$2\" \"$c\"",
  'done',
].join('\n');

/**
 * $1 mode (replace|beside), $2 pid to replace, $3 its exact command line as listed (argv joined
 * by \x1f, with the trailing \x1f), then the producer argv. Constant text. Before interrupting
 * anything, "replace" re-checks that $2 is still that exact process and still a child of pid 1.
 */
export const HOT_ADD_SCRIPT = [
  'set -u',
  'mode=$1 pid=$2 expected=$3',
  'shift 3',
  'say() { echo "salkafka-hot-add: $*" >&2; }',
  'if [ "$mode" = replace ]; then',
  '  c=$(tr \'\\000\' \'\\037\' < "/proc/$pid/cmdline" 2>/dev/null) || { say "producer process $pid is gone; nothing was changed"; exit 3; }',
  '  [ "$c" = "$expected" ] || { say "process $pid is no longer the planned producer; nothing was changed"; exit 3; }',
  '  s=$(cat "/proc/$pid/stat" 2>/dev/null) || { say "producer process $pid is gone; nothing was changed"; exit 3; }',
  '  s=${s##*")"}',
  '  set -- $s',
  '  [ "$2" = 1 ] || { say "process $pid is no longer a child of the container init; nothing was changed"; exit 3; }',
  '  kill -INT "$pid" || { say "could not signal $pid; nothing was changed"; exit 4; }',
  '  i=0',
  '  while [ -d "/proc/$pid" ] && [ "$(cut -d" " -f3 "/proc/$pid/stat" 2>/dev/null)" != Z ]; do',
  '    i=$((i + 1))',
  '    [ $i -le 300 ] || { say "producer $pid did not stop within 30 s of SIGINT; nothing new was started"; exit 5; }',
  '    sleep 0.1',
  '  done',
  'fi',
  'if command -v setsid >/dev/null 2>&1; then setsid "$@" >/proc/1/fd/1 2>/proc/1/fd/2 </dev/null &',
  'else nohup "$@" >/proc/1/fd/1 2>/proc/1/fd/2 </dev/null & fi',
  'new=$!',
  'say "started producer process $new ($mode)"',
  'sleep 2',
  'st=$(cut -d" " -f3 "/proc/$new/stat" 2>/dev/null)',
  'if [ -z "$st" ] || [ "$st" = Z ]; then say "the new producer process exited at once; see the container log"; exit 6; fi',
  'exit 0',
].join('\n');

export interface ProducerProcess {
  pid: number;
  /** Parent pid: the container's own producer is pid 1 or a child of pid 1. */
  ppid: number;
  argv: string[];
}

/** Interpreters the producer script runs under (its shebang, or `python …` in a command). */
const INTERPRETER_RE = /^(python(\d+(\.\d+)?)?|sh|bash|dash)$/;
const SCRIPT_RE = /^run_salkafka_producer(\.py)?$/;
const basename = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/**
 * Strictly a producer command line: argv[0] an interpreter and argv[1] the producer script, as
 * the kernel writes them for `#!… run_salkafka_producer.py` or `python run_salkafka_producer.py`.
 * An editor, `grep run_salkafka_producer`, or a shell whose -c text mentions it is not one.
 */
export function isProducerArgv(argv: readonly string[]): boolean {
  return argv.length >= 2 && INTERPRETER_RE.test(basename(argv[0])) && SCRIPT_RE.test(basename(argv[1]));
}

/** The container's own producer: the init process itself, or a direct child of it. */
export function isContainerProducer(p: ProducerProcess): boolean {
  return isProducerArgv(p.argv) && (p.pid === 1 || p.ppid === 1);
}

export interface ProducerCommandLine {
  /** Interpreter and script, e.g. ['/bin/sh', '/usr/local/bin/run_salkafka_producer.py']. */
  program: string[];
  /** Options with their values, in order. */
  options: string[];
  components: string[];
}

export function parseProcessList(stdout: string): ProducerProcess[] {
  const out: ProducerProcess[] = [];
  for (const line of stdout.split('\n')) {
    const fields = line.split('\x1e');
    if (fields.length !== 3) continue;
    const pid = Number(fields[0]);
    const ppid = Number(fields[1]);
    const argv = fields[2].split('\x1f');
    while (argv.length && argv[argv.length - 1] === '') argv.pop();
    if (Number.isInteger(pid) && pid > 0 && Number.isInteger(ppid) && ppid >= 0 && isProducerArgv(argv)) out.push({ pid, ppid, argv });
  }
  return out;
}

const FLAG_ONLY = new Set(['--show-schema', '--validate', '-h', '--help']);

export function parseProducerArgv(argv: readonly string[]): ProducerCommandLine {
  const script = argv.findIndex((a) => /(^|\/)run_salkafka_producer(\.py)?$/.test(a));
  if (script < 0) throw new Error(`not a run_salkafka_producer.py command line: ${argv.join(' ')}`);
  const program = argv.slice(0, script + 1);
  const options: string[] = [];
  const components: string[] = [];
  const rest = argv.slice(script + 1);
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i];
    if (w.startsWith('-')) {
      options.push(w);
      const name = w.split('=')[0];
      if (PRODUCER_VALUE_OPTIONS.has(name) && !w.includes('=') && !FLAG_ONLY.has(name) && i + 1 < rest.length) options.push(rest[++i]);
    } else components.push(w);
  }
  return { program, options, components };
}

export interface HotAddOptions {
  enabled: boolean;
  force?: boolean;
}

/**
 * Plan a hot add from the producer processes found in the container. Refuses when the setting
 * is off, the container is not running, the CSC is unknown (unless forced) or already running.
 */
export function planHotAdd(ctx: PlanContext, serviceName: string, csc: string, processes: ProducerProcess[], opts: HotAddOptions): Plan {
  if (!opts.enabled) {
    throw new OpsRefusedError('hot-add-disabled', `Hot add is disabled (setting efdSalkafka.enableHotAdd). ${HOT_ADD_RISK}`);
  }
  try {
    validateCscToken(csc);
  } catch (err) {
    if (err instanceof InvalidNameError) throw new OpsRefusedError('invalid-name', err.message);
    throw err;
  }
  // Reuse the lifecycle plan for the service checks, container and production verdict.
  const plan = planLifecycle(ctx, 'restart', serviceName);
  if (plan.containerState !== 'running') throw new OpsRefusedError('not-running', `${plan.containerName} is ${plan.containerState}; hot add needs a running producer.`);
  validateContainerName(plan.containerName);
  const name = csc.split(':')[0];
  const forcedErrors: string[] = [];
  if (ctx.catalogue && !ctx.catalogue.get(name)) {
    const msg = `Unknown SAL component "${name}": the producer exits when it cannot find a component.`;
    if (!opts.force) throw new OpsRefusedError('lint-errors', `Refusing to plan: ${msg}`, [msg]);
    forcedErrors.push(`csc-unknown: ${msg}`);
  }
  const own = processes.filter(isContainerProducer);
  if (!own.length) {
    throw new OpsRefusedError(
      'hot-add-layout',
      `No producer process of ${plan.containerName} itself was found (pid 1, or a child of pid 1, running <python|sh> run_salkafka_producer.py); nothing to hot add to.`,
    );
  }
  const lines = own.map((p) => ({ p, cmd: parseProducerArgv(p.argv) }));
  const running = lines.flatMap((l) => l.cmd.components);
  if (running.includes(csc)) throw new OpsRefusedError('csc-present', `${csc} is already being produced inside ${plan.containerName} (${running.join(' ')}).`);
  if (lines.some((l) => l.cmd.options.includes('--file'))) {
    throw new OpsRefusedError('file-producer', `${plan.containerName} runs with --file (a topic-set file); hot add cannot change it.`);
  }
  const main = lines.find((l) => l.p.pid === 1) ?? (lines.length === 1 ? lines[0] : undefined);
  if (!main) {
    throw new OpsRefusedError(
      'hot-add-layout',
      `${plan.containerName} has ${lines.length} producer processes under its init (pids ${lines.map((l) => l.p.pid).join(', ')}): which one to restart is ambiguous; restart the container instead.`,
    );
  }
  const expected = `${main.p.argv.join('\x1f')}\x1f`;
  const mode: 'replace' | 'beside' = main.p.pid === 1 ? 'beside' : 'replace';
  const producerArgv = [...main.cmd.program, ...main.cmd.options, ...(mode === 'replace' ? [...main.cmd.components, csc] : [csc])];
  const argv = ['docker', 'exec', plan.containerName, 'sh', '-c', HOT_ADD_SCRIPT, 'salkafka-hot-add', mode, String(main.p.pid), expected, ...producerArgv];
  const shown = ['docker', 'exec', plan.containerName, 'sh', '-c', '<hot-add script>', 'salkafka-hot-add', mode, String(main.p.pid), '<its command line>', ...producerArgv];
  const restart = plan.commands[0];
  return {
    ...plan,
    action: 'hot-add',
    summary: `Hot add ${csc} inside the running ${plan.containerName} on ${ctx.host.alias} (not persistent)`,
    csc,
    cscListAfter: [...running, csc],
    commands: [
      {
        purpose:
          mode === 'beside'
            ? `start a second producer process for ${csc} inside ${plan.containerName} (its main process, pid 1, is the producer and is left running)`
            : `interrupt producer pid ${main.p.pid} (SIGINT, like ctrl-c) and start it again with ${csc} added`,
        argv,
        display: displayCommand(shown),
        role: 'change',
      },
    ],
    warnings: [
      HOT_ADD_RISK,
      `NOT PERSISTENT: the compose file is not changed. The next restart or recreate of ${plan.containerName} drops ${csc}; use Add CSC (compose) to make it permanent.`,
      mode === 'replace'
        ? `The producer (pid ${main.p.pid}) stops for a few seconds: the EFD gets no data for ${main.cmd.components.join(' ')} meanwhile.`
        : `The main producer (pid 1) keeps running; a second process writes ${csc}. Its lines appear in the container log.`,
      ...forcedErrors.map((e) => `FORCED: ${e}`),
    ],
    persistent: false,
    forcedErrors,
    rollback: [`Restart the container to return to the compose file's CSC_LIST (a gap of a few seconds): ${restart.display}`],
    verify: { state: 'running', restarted: 'no', cscs: mode === 'replace' ? [...main.cmd.components, csc] : [csc], fileProducer: false },
    hotAdd: { container: plan.containerName, mode, replacePid: mode === 'replace' ? main.p.pid : undefined, producerArgv },
  };
}

/** argv that lists producer processes inside a container. */
export function listProducersArgv(container: string): string[] {
  validateContainerName(container);
  return ['docker', 'exec', container, 'sh', '-c', LIST_PRODUCERS_SCRIPT];
}

