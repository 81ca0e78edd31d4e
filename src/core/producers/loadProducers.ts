// Reads compose file and containers from the host and merges them into a snapshot.
import type Dockerode from 'dockerode';
import { budgetOf } from '../compose/analysisLimits';
import { parseCompose } from '../compose/parseCompose';
import type { ComposeModel, Variables } from '../compose/model';
import { composeProjectName, producerFacts, topLevelName } from './producerFacts';
import { containerNameOf, isProducerContainer, mergeProducers } from './mergeProducers';
import type { ComposeFileRead, ComposeSource, ProducerHost } from './producerHost';
import type { ContainerDetails, ContainerSummary, ProducerService, ProducerSnapshot } from './producerTypes';
import { containerRef } from '../docker/containerRef';

/**
 * Producer services of a parsed compose file, in the shape mergeProducers takes. With `source`
 * each carries its compose file, project and facts (domain, shared memory, labels).
 */
export function servicesFromCompose(model: ComposeModel, source?: { path: string; main?: boolean; variables?: Variables; flavor?: 'v1' | 'v2'; projectName?: string }): ProducerService[] {
  const project = source ? composeProjectName(source.path, { flavor: source.flavor, projectName: source.projectName ?? source.variables?.COMPOSE_PROJECT_NAME, topLevelName: topLevelName(model, source.variables) }) : undefined;
  return model.services
    .filter((s) => s.isProducer)
    .map((s) => {
      const svc: ProducerService = {
        name: s.name,
        cscTokens: (s.cscList?.tokens ?? []).map((t) =>
          t.index !== undefined ? { text: t.text, name: t.name, index: t.index, kind: t.kind } : { text: t.text, name: t.name, kind: t.kind },
        ),
      };
      if (s.containerName) svc.containerName = s.containerName.value;
      if (s.image) svc.image = s.image.interpolated;
      if (source) {
        svc.composeFile = source.path;
        svc.composeProject = project;
        if (source.main !== undefined) svc.composeFileMain = source.main;
        svc.facts = producerFacts(model, s, source.variables);
      }
      return svc;
    });
}

/** Inspects the given containers concurrently; a container that vanished meanwhile is skipped. */
async function inspectAll(docker: Dockerode, ids: readonly string[]): Promise<Map<string, ContainerDetails>> {
  const out = new Map<string, ContainerDetails>();
  await Promise.all(
    ids.map(async (id) => {
      try {
        out.set(id, (await containerRef(docker, id).inspect()) as unknown as ContainerDetails);
      } catch {
        // Removed between list and inspect: the next event-driven refresh will drop it.
      }
    }),
  );
  return out;
}

/** Services of one compose file; a file past the analysis limits is an error, not a short list. */
function servicesOf(c: ComposeSource, main?: boolean): ProducerService[] {
  const model = parseCompose(c.text, { variables: c.variables });
  const limit = model.limit ?? budgetOf(model.doc).hit;
  if (limit) throw new Error(`${c.path}: ${limit.message}`);
  return servicesFromCompose(model, main === undefined ? { path: c.path, variables: c.variables } : { path: c.path, main, variables: c.variables });
}

/**
 * The producer services of every compose file of the host. A file that fails gives its error and
 * does not hide the others' producers; a service defined in two files keeps the first (the main
 * file wins), as the view can show one producer per name.
 */
async function readAllServices(host: ProducerHost): Promise<{ ok: true; services: ProducerService[] } | { ok: false; services: ProducerService[]; error: string }> {
  if (!host.readComposeFiles) {
    return host
      .readCompose()
      .then((c) => ({ ok: true as const, services: servicesOf(c) }))
      .catch((err: unknown) => ({ ok: false as const, services: [], error: err instanceof Error ? err.message : String(err) }));
  }
  let files: ComposeFileRead[];
  try {
    files = await host.readComposeFiles();
  } catch (err) {
    return { ok: false, services: [], error: err instanceof Error ? err.message : String(err) };
  }
  const services: ProducerService[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    let list: ProducerService[] = [];
    try {
      if (!f.source) throw new Error(f.error ?? `${f.path} could not be read`);
      list = servicesOf(f.source, f.main);
      // A sibling with YAML errors: docker-compose refuses it, so say so (what parsed still shows).
      if (!f.main) {
        const bad = parseCompose(f.source.text).doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY')[0];
        if (bad) errors.push(`${f.path}: ${bad.message.split('\n')[0]}`);
      }
    } catch (err) {
      const m = err instanceof Error ? err.message : String(err);
      errors.push(m.includes(f.path) ? m : `${f.path}: ${m}`);
      continue;
    }
    for (const s of list) {
      if (seen.has(s.name)) {
        errors.push(`${f.path}: service ${s.name} is also defined in an earlier compose file; the earlier one is shown.`);
        continue;
      }
      seen.add(s.name);
      services.push(s);
    }
  }
  return errors.length ? { ok: false, services, error: errors.join('\n') } : { ok: true, services };
}

export async function loadProducers(host: ProducerHost): Promise<ProducerSnapshot> {
  const docker = host.docker();
  const [composeResult, containers] = await Promise.all([readAllServices(host), docker.listContainers({ all: true }) as Promise<ContainerSummary[]>]);
  const services = composeResult.services;
  const serviceNames = new Set(services.map((s) => s.name));
  const relevant = containers.filter((c) => isProducerContainer(c, serviceNames));
  // Inspect gives uptime (StartedAt), restart count and orphans' CSC_LIST: one ~2 ms request
  // each over the persistent SSH connection, for a dozen or two containers.
  const details = await inspectAll(docker, relevant.map((c) => c.Id));
  const snapshot: ProducerSnapshot = {
    producers: mergeProducers(services, relevant, details, composeResult.ok),
    takenAt: Date.now(),
  };
  if (!composeResult.ok) snapshot.composeError = composeResult.error;
  return snapshot;
}

export { containerNameOf };
