// Reads compose file and containers from the host and merges them into a snapshot.
import type Dockerode from 'dockerode';
import { budgetOf } from '../compose/analysisLimits';
import { parseCompose } from '../compose/parseCompose';
import type { ComposeModel, Variables } from '../compose/model';
import { composeProjectName, producerFacts, topLevelName } from './producerFacts';
import { containerNameOf, isProducerContainer, mergeProducers } from './mergeProducers';
import type { ProducerHost } from './producerHost';
import type { ContainerDetails, ContainerSummary, ProducerService, ProducerSnapshot } from './producerTypes';
import { containerRef } from '../docker/containerRef';

/**
 * Producer services of a parsed compose file, in the shape mergeProducers takes. With `source`
 * each carries its compose file, project and facts (domain, shared memory, labels).
 */
export function servicesFromCompose(model: ComposeModel, source?: { path: string; variables?: Variables; flavor?: 'v1' | 'v2'; projectName?: string }): ProducerService[] {
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

export async function loadProducers(host: ProducerHost): Promise<ProducerSnapshot> {
  const docker = host.docker();
  const [composeResult, containers] = await Promise.all([
    host
      .readCompose()
      .then((c) => {
        const model = parseCompose(c.text, { variables: c.variables });
        // A file past the analysis limits gives no or only some services: say so, not a short list.
        const limit = model.limit ?? budgetOf(model.doc).hit;
        if (limit) throw new Error(`${c.path}: ${limit.message}`);
        return { ok: true as const, services: servicesFromCompose(model, { path: c.path, variables: c.variables }) };
      })
      .catch((err: unknown) => ({ ok: false as const, error: err instanceof Error ? err.message : String(err) })),
    docker.listContainers({ all: true }) as Promise<ContainerSummary[]>,
  ]);
  const services = composeResult.ok ? composeResult.services : [];
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
