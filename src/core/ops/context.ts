// Reads what a plan is computed from: the compose file's exact bytes, the .env beside it, the
// producer containers, and which docker-compose the host has.
import * as posix from 'node:path/posix';
import type { Catalogue } from '../catalogue/catalogue';
import { parseEnvFile } from '../compose/envFile';
import { parseCompose } from '../compose/parseCompose';
import { detectCompose } from '../docker/composeRunner';
import { ENV_FILE_MAX_BYTES, readRegularFileRemote } from '../files/boundedRead';
import type { OpsHost } from './apply';
import type { ContainerInfo, PlanContext } from './plan';
import type { ProductionSettings } from './production';

export interface OpsSettings {
  composePath: string;
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
  const [compose, envText, containers, flavor] = await Promise.all([
    host.files.readFile(composePath),
    // Only a regular, small .env: a FIFO would stall the SFTP session, a device stream for ever.
    readRegularFileRemote(host.files, posix.join(posix.dirname(composePath), '.env'), ENV_FILE_MAX_BYTES).then(
      (b) => b?.toString('utf8') ?? '',
      () => '',
    ),
    host.docker().listContainers({ all: true }) as Promise<ContainerSummaryLike[]>,
    detectCompose(host),
  ]);
  const variables = parseEnvFile(envText);
  const model = parseCompose(compose.content.toString('utf8'), { variables });
  const ctx: PlanContext = {
    host: { alias: host.alias, hostName: host.target?.hostName },
    composePath,
    composeContent: compose.content,
    variables,
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
