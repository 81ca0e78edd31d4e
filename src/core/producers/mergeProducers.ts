// Pure union of compose producer services and salkafka containers. No I/O, fully unit-tested.
import type {
  ContainerDetails, ContainerStatus, ContainerSummary, Producer, ProducerCsc, ProducerService, ProducerState,
} from './producerTypes';

const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';
const CONTAINER_STATES: ReadonlySet<string> = new Set(['running', 'restarting', 'exited', 'created', 'paused', 'dead', 'removing']);

/** Container name without Docker's leading "/". */
export function containerNameOf(c: ContainerSummary): string {
  const n = c.Names[0] ?? c.Id.slice(0, 12);
  return n.startsWith('/') ? n.slice(1) : n;
}

/** `ts-dockerhub.lsst.org/salkafka:c0035` → `c0035`; digests and missing tags handled. */
export function imageTagOf(image: string | undefined): string | undefined {
  if (!image) return undefined;
  if (image.startsWith('sha256:')) return image.slice(7, 19);
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) return ref.slice(colon + 1);
  return at >= 0 ? image.slice(at + 1, at + 20) : 'latest';
}

/** Docker time text → epoch ms; Docker's zero time ("0001-01-01T00:00:00Z") → undefined. */
export function dockerTimeMs(text: string | undefined): number | undefined {
  if (!text || text.startsWith('0001-')) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Splits a CSC_LIST value as run_salkafka_producer.py would (used for orphan containers' env). */
export function splitCscList(value: string): { cscs: ProducerCsc[]; options: string[] } {
  const cscs: ProducerCsc[] = [];
  const options: string[] = [];
  let expectValue = false;
  for (const word of value.split(/\s+/)) {
    if (!word) continue;
    if (expectValue) {
      options.push(word);
      expectValue = false;
    } else if (word.startsWith('-')) {
      options.push(word);
      expectValue = !word.includes('=');
    } else {
      const colon = word.indexOf(':');
      cscs.push(colon >= 0 ? { text: word, name: word.slice(0, colon), index: word.slice(colon + 1) } : { text: word, name: word });
    }
  }
  return { cscs, options };
}

/** Containers worth showing: named salkafka-*, or created by compose for one of the services. */
export function isProducerContainer(c: ContainerSummary, serviceNames: ReadonlySet<string>): boolean {
  const name = containerNameOf(c);
  if (name.startsWith('salkafka-')) return true;
  const svc = c.Labels?.[COMPOSE_SERVICE_LABEL];
  return svc !== undefined && serviceNames.has(svc);
}

function stateOf(c: ContainerSummary): ContainerStatus {
  return (CONTAINER_STATES.has(c.State) ? c.State : 'dead') as ContainerStatus;
}

function cscsFromService(s: ProducerService): { cscs: ProducerCsc[]; options: string[] } {
  const cscs: ProducerCsc[] = [];
  const options: string[] = [];
  for (const t of s.cscTokens) {
    if (t.kind === 'csc') cscs.push(t.index !== undefined ? { text: t.text, name: t.name, index: t.index } : { text: t.text, name: t.name });
    else options.push(t.text);
  }
  return { cscs, options };
}

function applyContainer(p: Producer, c: ContainerSummary, d: ContainerDetails | undefined): void {
  p.containerName = containerNameOf(c);
  p.containerId = c.Id;
  p.state = stateOf(c);
  p.image = d?.Config?.Image ?? c.Image;
  p.imageTag = imageTagOf(p.image);
  p.statusText = c.Status;
  if (d) {
    const started = dockerTimeMs(d.State?.StartedAt);
    const finished = dockerTimeMs(d.State?.FinishedAt);
    if (started !== undefined) p.startedAt = started;
    if (finished !== undefined) p.finishedAt = finished;
    if (d.State?.ExitCode !== undefined && p.state !== 'running') p.exitCode = d.State.ExitCode;
    if (d.RestartCount !== undefined) p.restartCount = d.RestartCount;
  }
}

/**
 * The union, sorted by name. `details` (container inspect results by container id) is optional:
 * without it, uptime, restart count and orphans' CSCs are unknown but everything else is shown.
 * `composeKnown` false (compose file unreadable) means no container can be called an orphan.
 */
export function mergeProducers(
  services: readonly ProducerService[],
  containers: readonly ContainerSummary[],
  details: ReadonlyMap<string, ContainerDetails> = new Map(),
  composeKnown = true,
): Producer[] {
  const byName = new Map<string, Producer>();
  const serviceNames = new Set(services.map((s) => s.name));
  const serviceByContainerName = new Map<string, Producer>();
  const serviceByServiceName = new Map<string, Producer>();

  for (const s of services) {
    const { cscs, options } = cscsFromService(s);
    const containerName = s.containerName ?? s.name;
    const p: Producer = {
      name: s.name, serviceName: s.name, containerName, state: 'not-created', orphan: false,
      cscs, cscOptions: options, cscSource: s.cscTokens.length > 0 ? 'compose' : 'none',
    };
    if (s.composeFile !== undefined) p.composeFile = s.composeFile;
    if (s.composeProject !== undefined) p.composeProject = s.composeProject;
    if (s.composeFileMain !== undefined) p.composeFileMain = s.composeFileMain;
    if (s.facts !== undefined) p.facts = s.facts;
    if (s.image !== undefined) {
      p.composeImage = s.image;
      p.image = s.image;
      p.imageTag = imageTagOf(s.image);
    }
    byName.set(p.name, p);
    serviceByContainerName.set(containerName, p);
    serviceByServiceName.set(s.name, p);
  }

  for (const c of containers) {
    if (!isProducerContainer(c, serviceNames)) continue;
    const name = containerNameOf(c);
    // Exact container name first; compose's label covers services without container_name.
    const label = c.Labels?.[COMPOSE_SERVICE_LABEL];
    const owner = serviceByContainerName.get(name) ?? (label !== undefined ? serviceByServiceName.get(label) : undefined);
    const d = details.get(c.Id);
    if (owner && owner.containerId === undefined) {
      applyContainer(owner, c, d);
      continue;
    }
    // No service (or a second container for one service): an orphan.
    const env = d?.Config?.Env?.find((e) => e.startsWith('CSC_LIST='));
    const split = env !== undefined ? splitCscList(env.slice('CSC_LIST='.length)) : undefined;
    const p: Producer = {
      name: byName.has(name) ? `${name} (${c.Id.slice(0, 12)})` : name,
      containerName: name, state: 'not-created', orphan: composeKnown,
      cscs: split?.cscs ?? [], cscOptions: split?.options ?? [], cscSource: split ? 'container' : 'none',
    };
    applyContainer(p, c, d);
    byName.set(p.name, p);
  }

  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** States in which the producer has a container whose logs can be read. */
export function hasContainer(p: Producer): boolean {
  return p.state !== 'not-created';
}

export function isUp(state: ProducerState): boolean {
  return state === 'running' || state === 'restarting';
}
