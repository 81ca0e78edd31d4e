import * as posix from 'node:path/posix';
import { Document, isMap, isScalar, isSeq, visit, type Node } from 'yaml';
import { headerEnvFileNames } from '../compose/envDiscovery';
import type { ComposeModel, ServiceModel } from '../compose/model';
import { mapEntries } from '../compose/yamlNodes';
import { ddsFacts, isDaemonService } from './ddsFacts';
import { DEV_LABELS } from '../producers/devLabels';

/**
 * A development producer for components in integration on a non-production DDS domain, as the
 * summit ran salkafka-eas on domain 7 in 2021 (lsst-it/docker-compose-ops summit/kafka_writers/
 * docker-compose-eas.yaml): its own file beside the main one, an off-cycle image, the same broker
 * and registry as production, and, with shared memory, the domain's OpenSplice daemon.
 * Pure: the caller reads the compose files and carries the result out through a plan.
 */
export interface DevRequest {
  /** Non-zero: domain 0 is production. */
  domainId: number;
  cscs: string[];
  /** A short word: names the service (salkafka-<purpose>) and the file (docker-compose-<purpose>.yaml). */
  purpose: string;
  owner: string;
  /** YYYY-MM-DD (runs to the end of that day, UTC). */
  expires: string;
  /** Another tag of the production image (off-cycle); absent: the production producers' image as written. */
  imageTag?: string;
  /** A development IDL directory on the host, mounted over the image's (interfaces not in the cycle build). */
  idlDir?: string;
  /** Where the service goes: its own file beside the main one (the real layout) or the main file. */
  target: 'own-file' | 'main-file';
  /** shared-memory: attach to the domain's daemon on the host; as-production: the production producers' OpenSplice setup. */
  opensplice: 'shared-memory' | 'as-production';
  /** The broker (BROKER_IP as interpolated) of the EFD to write to when the files feed several; default: the one most producers use. */
  broker?: string;
}

export interface ParsedComposeFile {
  path: string;
  text: string;
  model: ComposeModel;
}

export interface PlannedFile {
  path: string;
  kind: 'create' | 'modify' | 'delete';
  before?: string;
  after?: string;
}

export interface DevProvision {
  service: string;
  container: string;
  image: string;
  file: PlannedFile;
  /** The production producer the settings were copied from. */
  template: { service: string; path: string };
  daemon?: { service: string; container: string; state: 'found' | 'planned'; path: string; image?: string };
  /** `docker-compose -f <file> up -d …` as it will run, from the kafka_writers directory. */
  commands: string[];
  prerequisites: string[];
  announcement: string;
  /** Things the user should know that do not stop the plan. */
  notes: string[];
}

export class DevRequestError extends Error {}

const COPIED_ENV_EXCLUDED = new Set(['CSC_LIST', 'LSST_DDS_DOMAIN_ID', 'LSST_DDS_DOMAIN_NAME']);
/** Service keys copied from the production producer (identity keys are set, addresses dropped). */
const COPIED_KEYS = ['command', 'entrypoint', 'working_dir', 'user', 'env_file', 'network_mode', 'networks', 'extra_hosts', 'dns', 'restart', 'stdin_open', 'tty', 'ipc', 'pid', 'volumes', 'logging'];
const SOCKET_MOUNT = '${OSPL_SHMEM_SOCKET_DIR}:/tmp/';
/** Where ts_idl's IDL files sit in the 2021 images (the Feb 2021 development-producer mount). */
export const IDL_MOUNT_POINT = '/opt/lsst/software/stack/miniconda/lib/python3.7/idl';

export function validateRequest(r: DevRequest): void {
  if (!Number.isInteger(r.domainId) || r.domainId < 1 || r.domainId > 232) throw new DevRequestError(`DDS domain ${r.domainId} is not a development domain: use 1–232 (0 is production).`);
  if (!r.cscs.length) throw new DevRequestError('Choose at least one CSC.');
  for (const c of r.cscs) if (!/^[A-Za-z][A-Za-z0-9]*(:\d+)?$/.test(c)) throw new DevRequestError(`"${c}" is not a CSC name (Name or Name:index).`);
  if (!/^[a-z0-9][a-z0-9-]{0,30}$/.test(r.purpose)) throw new DevRequestError(`Purpose "${r.purpose}" must be a short lower-case word (letters, digits, -): it names the service and the file.`);
  if (!/^[\w.@ -]{1,60}$/.test(r.owner)) throw new DevRequestError(`Owner "${r.owner}" must be a name or user (letters, digits, . @ - _ and spaces).`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(r.expires) || Number.isNaN(Date.parse(`${r.expires}T00:00:00Z`))) throw new DevRequestError(`Expiry "${r.expires}" must be a date YYYY-MM-DD.`);
  if (r.imageTag !== undefined && !/^[\w][\w.-]{0,127}$/.test(r.imageTag)) throw new DevRequestError(`"${r.imageTag}" is not an image tag.`);
  if (r.idlDir !== undefined && !/^(\/|\$\{?\w+\}?)[^\s:'"`]*$/.test(r.idlDir)) throw new DevRequestError(`IDL directory "${r.idlDir}" must be an absolute host path (or \${VAR}), without spaces or colons.`);
}

/** Production producers: producers without development labels, not on domains of development producers. */
export function productionProducers(files: readonly ParsedComposeFile[]): { file: ParsedComposeFile; service: ServiceModel }[] {
  const out: { file: ParsedComposeFile; service: ServiceModel }[] = [];
  for (const file of files) for (const service of file.model.services) if (service.isProducer && !ddsFacts(file.model, service).dev) out.push({ file, service });
  return out;
}

export function planDevProducer(request: DevRequest, files: readonly ParsedComposeFile[], mainPath: string): DevProvision {
  validateRequest(request);
  const main = files.find((f) => f.path === mainPath);
  if (!main) throw new DevRequestError(`The main compose file ${mainPath} was not read.`);
  const production = productionProducers(files);
  if (!production.length) throw new DevRequestError('No production producer to copy the broker, registry and OpenSplice settings from.');
  const broker = (s: ServiceModel) => s.env.get('BROKER_IP')?.value?.value ?? '';
  const counts = new Map<string, number>();
  for (const p of production) counts.set(broker(p.service), (counts.get(broker(p.service)) ?? 0) + 1);
  const wanted = request.broker ?? [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
  const template = production.find((p) => broker(p.service) === wanted && p.service.env.has('REGISTRY_ADDR'));
  if (!template) throw new DevRequestError(`No production producer writes to broker ${wanted}.`);

  const service = `salkafka-${request.purpose}`;
  const taken = new Set(files.flatMap((f) => f.model.services.flatMap((s) => [s.name, s.containerName?.value ?? s.name])));
  if (taken.has(service)) throw new DevRequestError(`${service} is already defined (service or container) in the directory's compose files: choose another purpose.`);
  const ownPath = posix.join(posix.dirname(mainPath), `docker-compose-${request.purpose}.yaml`);
  if (request.target === 'own-file' && files.some((f) => f.path === ownPath)) throw new DevRequestError(`${posix.basename(ownPath)} already exists: choose another purpose.`);

  const t = template.service;
  const tm = template.file.model;
  const imageRaw = t.image?.value ?? '';
  const image = request.imageTag ? withTag(t.image?.interpolated ?? imageRaw, request.imageTag) : imageRaw;
  const imageShown = request.imageTag ? image : (t.image?.interpolated ?? imageRaw);

  const environment: string[] = [];
  for (const e of t.environment) {
    if (COPIED_ENV_EXCLUDED.has(e.key)) continue;
    environment.push(e.value ? `${e.key}=${e.value.raw}` : e.key);
  }
  environment.push(`LSST_DDS_DOMAIN_ID=${request.domainId}`, `LSST_DDS_DOMAIN_NAME=ospl_sp_ddsi_${request.domainId}`, `CSC_LIST=${request.cscs.join(' ')}`);

  const body: Record<string, unknown> = {
    image,
    container_name: service,
    labels: { [DEV_LABELS.purpose]: request.purpose, [DEV_LABELS.owner]: request.owner, [DEV_LABELS.expires]: request.expires },
    environment,
  };
  const entries = mapEntries(tm.doc, t.node as Node | null);
  const shm = request.opensplice === 'shared-memory';
  for (const key of COPIED_KEYS) {
    const entry = entries.find((e) => e.key === key);
    if (!entry) continue;
    let value: unknown = (entry.value as Node | null)?.toJSON?.() ?? (isScalar(entry.value) ? entry.value.value : null);
    if (key === 'networks') value = networkNames(entry.value as Node | null);
    if (key === 'volumes' && Array.isArray(value)) value = copiedVolumes(value, t.name, service, shm);
    if (key === 'command' && typeof value === 'string') value = value.split(t.name).join(service);
    if (value === null || value === undefined) continue;
    body[key] = value;
  }
  if (shm) {
    body.ipc = 'host';
    body.pid = 'host';
    if (body.network_mode === 'host') delete body.network_mode;
    const vols = Array.isArray(body.volumes) ? (body.volumes as unknown[]) : [];
    if (!vols.some((v) => typeof v === 'string' && /:\/tmp\/?$/.test(v))) vols.unshift(SOCKET_MOUNT);
    body.volumes = vols;
  }
  if (request.idlDir) {
    const vols = Array.isArray(body.volumes) ? (body.volumes as unknown[]) : [];
    vols.push(`${request.idlDir}:${IDL_MOUNT_POINT}`);
    body.volumes = vols;
  }

  // The domain's daemon: one defined in the files, else planned beside the producer.
  let daemon: DevProvision['daemon'];
  const notes: string[] = [];
  const services: Record<string, unknown> = { [service]: body };
  if (shm) {
    const found = findDaemon(files, request.domainId);
    if (found) daemon = { ...found, state: 'found' };
    else {
      const pad = String(request.domainId).padStart(3, '0');
      const dImage = daemonImage(imageShown);
      const name = `ospl-daemon-domain-${pad}`;
      if (taken.has(name)) throw new DevRequestError(`${name} is defined but not as a daemon of domain ${request.domainId}: fix it first.`);
      const targetPath = request.target === 'own-file' ? ownPath : mainPath;
      services[name] = {
        image: dImage,
        container_name: name,
        labels: { [DEV_LABELS.purpose]: request.purpose, [DEV_LABELS.owner]: request.owner, [DEV_LABELS.expires]: request.expires },
        environment: [
          ...t.environment.filter((e) => e.key === 'LSST_DDS_PARTITION_PREFIX').map((e) => `${e.key}=${e.value?.raw ?? ''}`),
          `LSST_DDS_DOMAIN_ID=${request.domainId}`,
          `LSST_DDS_DOMAIN_NAME=ospl_sp_ddsi_${request.domainId}`,
        ],
        ...(body.network_mode ? { network_mode: body.network_mode } : {}),
        ...(body.networks ? { networks: body.networks } : {}),
        ipc: 'host',
        pid: 'host',
        volumes: [SOCKET_MOUNT],
        ...(body.restart ? { restart: body.restart } : {}),
        ...(body.logging ? { logging: body.logging } : {}),
      };
      (body.labels as Record<string, string>)[DEV_LABELS.daemon] = name;
      body.depends_on = [name];
      daemon = { service: name, container: name, state: 'planned', path: targetPath, image: dImage };
      notes.push(`No OpenSplice daemon for domain ${request.domainId} in the directory's or the site's compose files: ${name} (${dImage}) is planned with the producer.`);
    }
  }

  // Networks the producer joins must be declared in its own file too (the main file's declarations).
  const networksUsed = Array.isArray(body.networks) ? (body.networks as unknown[]).map(String) : [];
  const declared = topLevelNetworks(main, networksUsed);
  const serviceText = yamlText(services);
  const indented = serviceText.split('\n').map((l) => (l ? `  ${l}` : l)).join('\n');
  let file: PlannedFile;
  if (request.target === 'own-file') {
    const envFiles = headerEnvFileNames(main.text);
    const header = envFiles.length ? ['# Using this file requires the following environment files', ...envFiles.map((n) => `# - ${n}`)] : [];
    const version = /^version\s*:\s*(.+)$/m.exec(main.text)?.[1]?.trim();
    const text = [
      ...header,
      ...(header.length ? ['#'] : []),
      `# Development producer ${service} on DDS domain ${request.domainId}: ${request.purpose}, owner ${request.owner}, until ${request.expires}.`,
      `# Take it down when the work is done (EFD SAL Kafka: Take Down Development Producer).`,
      '',
      ...(version ? [`version: ${version}`, ''] : []),
      'services:',
      indented,
      ...(Object.keys(declared).length ? ['', yamlText({ networks: declared })] : []),
      '',
    ].join('\n');
    file = { path: ownPath, kind: 'create', after: text };
  } else {
    file = { path: mainPath, kind: 'modify', before: main.text, after: insertServices(main, indented) };
  }

  const cd = posix.dirname(mainPath);
  const f = posix.basename(file.path);
  const up = [daemon?.state === 'planned' ? daemon.service : undefined, service].filter((s): s is string => !!s);
  const commands = [`cd ${shellWord(cd)} && docker-compose -f ${shellWord(f)} up -d ${up.join(' ')}`];

  const prodCscs = new Map<string, string[]>();
  for (const p of production) for (const tok of p.service.cscList?.tokens ?? []) if (tok.kind === 'csc') prodCscs.set(tok.name, [...(prodCscs.get(tok.name) ?? []), p.service.name]);
  const prerequisites = [
    `The CSCs run on DDS domain ${request.domainId} (LSST_DDS_DOMAIN_ID=${request.domainId} in their environment), not on the production domain: ${request.cscs.join(', ')}.`,
    ...request.cscs.flatMap((c) => {
      const name = c.split(':')[0];
      const also = prodCscs.get(name);
      return also ? [`${name} is also in production producer${also.length > 1 ? 's' : ''} ${also.join(', ')}: both would write the same lsst.sal.${name}.* topics whenever the component runs on both domains.`] : [];
    }),
    ...(shm ? [`The OpenSplice daemon of domain ${request.domainId} runs on this host (${daemon?.container ?? `ospl-daemon-domain-${String(request.domainId).padStart(3, '0')}`}).`] : []),
    `The image ${imageShown} is on the host (or can be pulled) and its ts_xml knows ${request.cscs.join(', ')}.`,
    'The announcement below was sent to the observatory channel before the producer starts.',
  ];
  const announcement = `Starting a development Kafka producer ${service} on DDS domain ${request.domainId} for ${request.cscs.join(', ')} (${request.purpose}), writing to the same EFD as production (${wanted}). Owner: ${request.owner}. Until ${request.expires}; it will be taken down then.`;

  return { service, container: service, image: imageShown, file, template: { service: t.name, path: template.file.path }, ...(daemon ? { daemon } : {}), commands, prerequisites, announcement, notes };
}

/**
 * YAML for docker-compose, which reads YAML 1.1: strings a 1.1 reader would take for a date, a
 * boolean or a number (2021-11-30, yes, off, 0755) are quoted.
 */
export function yamlText(value: unknown): string {
  const doc = new Document(value, { aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && /^(\d{4}-\d{1,2}-\d{1,2}([Tt ].*)?|y|n|yes|no|on|off|true|false|null|~|[-+]?(\d[\d_]*)?\.?\d[\d_:]*([eE][-+]?\d+)?|0[xob][\da-fA-F_]+|\.(inf|nan))$/i.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ lineWidth: 0, indent: 2 }).trimEnd();
}

/** The main file's top-level declarations of these networks. */
function topLevelNetworks(main: ParsedComposeFile, names: readonly string[]): Record<string, unknown> {
  if (!names.length) return {};
  const root = main.model.doc.contents as Node | null;
  const networks = mapEntries(main.model.doc, root).find((e) => e.key === 'networks')?.value ?? null;
  const out: Record<string, unknown> = {};
  for (const e of mapEntries(main.model.doc, networks)) if (names.includes(e.key)) out[e.key] = (e.value as Node | null)?.toJSON?.() ?? null;
  return out;
}

function withTag(image: string, tag: string): string {
  const at = image.indexOf('@');
  const base = at >= 0 ? image.slice(0, at) : image;
  const slash = base.lastIndexOf('/');
  const colon = base.lastIndexOf(':');
  return `${colon > slash ? base.slice(0, colon) : base}:${tag}`;
}

/** ts-dockerhub.lsst.org/salkafka:c0021 → ts-dockerhub.lsst.org/ospl-daemon:c0021 (salkafka-sim:test → ospl-daemon-sim:test). */
export function daemonImage(producerImage: string): string {
  const slash = producerImage.lastIndexOf('/');
  const head = producerImage.slice(0, slash + 1);
  const tail = producerImage.slice(slash + 1);
  return head + tail.replace(/^salkafka/, 'ospl-daemon');
}

function findDaemon(files: readonly ParsedComposeFile[], domain: number): { service: string; container: string; path: string } | undefined {
  for (const f of files) {
    for (const s of f.model.services) {
      if (!isDaemonService(s)) continue;
      if (ddsFacts(f.model, s).domainId === domain) return { service: s.name, container: s.containerName?.value ?? s.name, path: f.path };
    }
  }
  return undefined;
}

function networkNames(node: Node | null): unknown {
  if (isSeq(node)) return node.toJSON();
  if (isMap(node)) return node.items.map((p) => String((p.key as { value?: unknown })?.value ?? p.key));
  return null;
}

/**
 * The template's mounts: its own per-service paths renamed, startup.sh (which starts OpenSplice
 * inside the container, the 2021 production pattern) and the socket directory left out with shared
 * memory (re-added), its IDL directory left out (the request chooses).
 */
function copiedVolumes(vols: unknown[], from: string, to: string, shm: boolean): unknown[] {
  return vols
    .filter((v) => typeof v !== 'string' || !(v.includes(IDL_MOUNT_POINT) || (shm && (/startup\.sh:/.test(v) || /:\/tmp\/?$/.test(v)))))
    .map((v) => (typeof v === 'string' ? v.split(`/${from}:`).join(`/${to}:`) : v));
}

/** The main file with the services appended at the end of its services: block. */
function insertServices(main: ParsedComposeFile, block: string): string {
  const services = [...main.model.services, ...main.model.shadowedServices];
  if (!main.model.servicesRange || !services.length) throw new DevRequestError(`${posix.basename(main.path)} has no services to add to.`);
  const text = main.text;
  // After the last line of the last service (its range may run over trailing blank lines).
  let end = Math.max(...services.map((s) => s.range.end));
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  const nl = text.indexOf('\n', end);
  end = nl < 0 ? text.length : nl + 1;
  const prefix = text.slice(0, end);
  return `${prefix}${prefix.endsWith('\n') ? '' : '\n'}\n${block}\n${text.slice(end)}`;
}

/** A word for a POSIX shell (single-quoted unless plain). */
export function shellWord(s: string): string {
  return /^[\w./@%+=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
