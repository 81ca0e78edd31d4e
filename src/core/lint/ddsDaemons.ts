import * as posix from 'node:path/posix';
import { ddsFacts } from '../devProducers/ddsFacts';
import { diagnosticsOf, type CodeTable, type Diagnostic } from './diagnostic';
import type { ComposeModel } from '../compose/model';

/** A parsed compose file (siblings.ts ComposeFile). */
interface ComposeFile {
  path: string;
  model: ComposeModel;
}

/** Reported by the cross-file check (siblings.ts), not by a per-file rule. */
export const CODES = {
  'dds-daemon-missing': { severity: 'error', summary: "A producer on a DDS domain other than 0 attaches to shared memory on the host (`ipc: host`) and no OpenSplice daemon of that domain is defined in the directory's compose files or those of the site's other directories (`support/`): ts_salobj cannot create its DDS participant and the producer exits at start." },
} as const satisfies CodeTable;
const diagnostic = diagnosticsOf(CODES);

/**
 * A producer that attaches to OpenSplice shared memory on the host (`ipc: host`) on a domain
 * other than 0 needs that domain's daemon (lsst-it/docker-compose-ops 2021: salkafka-eas on
 * domain 7 in kafka_writers/docker-compose-eas.yaml, its daemon ospl-daemon-domain-007 in
 * support/docker-compose-domain-007.yaml). Without one, ts_salobj's Domain() cannot create its
 * DDS participant, ComponentProducerSet's `async with salobj.Domain()` raises, and the producer
 * exits before creating a producer: an error, like everything that stops the start.
 * Domain 0 is left alone: its daemon is the site's base service, run from outside these files.
 *
 * `files` holds the file being checked and every compose file it may rely on: its own
 * directory's and the site's other directories' (support/, …), parsed with its variables.
 */
export function daemonDiagnostics(file: ComposeFile, files: readonly ComposeFile[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  let daemons: Map<number, string[]> | undefined;
  let unresolvedDaemon = false;
  for (const service of file.model.services) {
    if (!service.isProducer) continue;
    const facts = ddsFacts(file.model, service);
    if (!facts.hostSharedMemory || facts.domainId === undefined || facts.domainId === 0) continue;
    if (!daemons) {
      daemons = new Map();
      for (const f of files) {
        for (const s of f.model.services) {
          const d = ddsFacts(f.model, s);
          if (!d.isDaemon) continue;
          if (d.domainId === undefined) unresolvedDaemon = true;
          else daemons.set(d.domainId, [...(daemons.get(d.domainId) ?? []), `${s.containerName?.value ?? s.name} (${shown(file.path, f.path)})`]);
        }
      }
    }
    // A daemon whose domain depends on an unset variable might be the one: say nothing.
    if (daemons.has(facts.domainId) || unresolvedDaemon) continue;
    const id = facts.domainId;
    const where = [...new Set(files.map((f) => shownDir(file.path, f.path)))].join(', ');
    out.push(
      diagnostic(
        'dds-daemon-missing',
        facts.ipcRange ?? service.nameRange,
        `${service.name} attaches to OpenSplice shared memory on the host (ipc: host) on DDS domain ${id}, and no OpenSplice daemon for domain ${id} is defined in ${where}: ts_salobj cannot create its DDS participant and the producer exits at start. Run the domain's daemon (e.g. ospl-daemon-domain-${String(id).padStart(3, '0')} with LSST_DDS_DOMAIN_ID=${id}, sharing the socket directory), or drop ipc: host and start OpenSplice inside the container.`,
      ),
    );
  }
  return out;
}

function shown(from: string, path: string): string {
  return posix.dirname(from) === posix.dirname(path) ? posix.basename(path) : posix.relative(posix.dirname(from), path);
}

function shownDir(from: string, path: string): string {
  const rel = posix.relative(posix.dirname(from), posix.dirname(path));
  return rel === '' ? 'this directory' : `${rel}/`;
}
