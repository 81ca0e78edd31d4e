// Reads what a plan is computed from: the compose file's exact bytes, the env files operators
// use with it (found exactly as the checker finds them: .env beside it, the files its header
// names and efdSalkafka.envFiles in its directory or a parent), the producer containers, and
// which docker-compose the host has.
import type { Catalogue } from '../catalogue/catalogue';
import { discoverEnv } from '../compose/envDiscovery';
import { parseCompose } from '../compose/parseCompose';
import { detectCompose } from '../docker/composeRunner';
import { COMPOSE_READ_MAX_BYTES } from '../files/boundedRead';
import { hostUid, remoteEnvReader } from '../files/remoteEnvReader';
import type { OpsHost } from './apply';
import type { ContainerInfo, PlanContext } from './plan';
import type { ProductionSettings } from './production';

export interface OpsSettings {
  composePath: string;
  /** efdSalkafka.envFiles: sourced too when found in the compose file's directory or a parent. */
  envFiles?: readonly string[];
  production: ProductionSettings;
  backupDirectory?: string;
  /** efdSalkafka.backups.keep: backups kept per compose file; < 1 keeps all. */
  backupsKeep?: number;
  auditLogFile?: string;
  verifyTimeoutSeconds: number;
  dryRun: boolean;
  enableHotAdd: boolean;
}

interface ContainerSummaryLike {
  Id: string;
  Names?: string[];
  State?: string;
  Labels?: Record<string, string>;
}

/** Containers of the compose file's services, by service name. */
export function mapContainers(
  services: { name: string; containerName?: string }[],
  containers: ContainerSummaryLike[],
): Record<string, ContainerInfo | undefined> {
  const out: Record<string, ContainerInfo | undefined> = {};
  for (const s of services) {
    const cname = s.containerName ?? s.name;
    const c =
      containers.find((x) => (x.Names ?? []).includes(`/${cname}`)) ??
      containers.find((x) => x.Labels?.['com.docker.compose.service'] === s.name);
    if (c) out[s.name] = { state: c.State ?? 'unknown', id: c.Id, name: (c.Names?.[0] ?? `/${cname}`).replace(/^\//, '') };
  }
  return out;
}

export async function loadPlanContext(
  host: OpsHost & { target?: { hostName?: string } },
  settings: OpsSettings,
  catalogue: Catalogue | undefined,
): Promise<PlanContext> {
  const composePath = settings.composePath;
  const [compose, containers, flavor, uid] = await Promise.all([
    // Bounded: a compose path that became a FIFO or /dev/zero never stalls or fills the extension.
    host.files.readFileBounded(composePath, COMPOSE_READ_MAX_BYTES),
    host.docker().listContainers({ all: true }) as Promise<ContainerSummaryLike[]>,
    detectCompose(host),
    hostUid(host),
  ]);
  // Bounded reads of regular files only (remoteEnvReader), as the producers view does.
  const env = await discoverEnv(composePath, compose.content.toString('utf8'), remoteEnvReader(host.files, uid), {
    settingNames: settings.envFiles ?? [],
  });
  const variables = env.variables;
  const model = parseCompose(compose.content.toString('utf8'), { variables });
  const ctx: PlanContext = {
    host: { alias: host.alias, hostName: host.target?.hostName },
    composePath,
    composeContent: compose.content,
    variables,
    // .env is read by docker-compose itself; the others are what operators `source`.
    sourcedEnvFiles: env.files.filter((f) => f.kind !== 'dotenv').map((f) => ({ path: f.path, name: f.name })),
    // A file the header names must be there; a configured name (default setup.env) may not be.
    missingEnvFiles: env.missing.filter((m) => m.kind === 'header').map((m) => ({ name: m.name, searched: m.searched })),
    flavor,
    production: settings.production,
    backupDirectory: settings.backupDirectory,
    containers: mapContainers(
      model.services.map((s) => ({ name: s.name, containerName: s.containerName?.value })),
      containers,
    ),
  };
  if (catalogue) ctx.catalogue = catalogue;
  return ctx;
}
