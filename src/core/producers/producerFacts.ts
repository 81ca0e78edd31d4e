// What a producer IS, computed once from its compose service so every feature (development
// producers, cycle upgrades, the tree) asks the same question the same way: its DDS domain,
// whether it uses OpenSplice shared memory, its image and tag, its development labels, and the
// compose file and project that define it.
import * as posix from 'node:path/posix';
import { isMap, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import { imageTagOf } from '../catalogue/imageTag';
import { interpolate } from '../compose/interpolate';
import type { ComposeModel, ServiceModel, Variables } from '../compose/model';
import { getEntry, mapEntries, resolveAlias } from '../compose/yamlNodes';
import { parseDevLabels } from './devLabels';
import type { DevMetadata } from './devLabels';

export interface ProducerFacts {
  /** LSST_DDS_DOMAIN_ID after interpolation; 0 when unset or empty (OpenSplice's default). */
  domainId: number;
  /** The value when it is not a domain number (the producer would not start on it). */
  domainIdInvalid?: string;
  /** True when LSST_DDS_DOMAIN_ID is not set at all (the default 0 applies). */
  domainIdDefaulted: boolean;
  /** LSST_DDS_DOMAIN_NAME after interpolation, if set. */
  domainName?: string;
  /**
   * Shared-memory OpenSplice: the container shares the host's IPC (and usually PID) namespace
   * and mounts the OSPL shared-memory configuration, so it talks to the host's OpenSplice daemon.
   */
  sharedMemory: { uses: boolean; ipcHost: boolean; pidHost: boolean; shmemMounts: string[] };
  /** Interpolated image and its tag (the cycle for cycle builds). */
  image?: string;
  imageTag?: string;
  /** Labels of the service (interpolated values). */
  labels: Record<string, string>;
  dev: DevMetadata;
}

const SHMEM = /shmem|ospl[^/]*shm|\/dev\/shm\b/i;

function scalarText(node: Node | null | undefined, vars: Variables): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  return interpolate(String(node.value), vars).value;
}

function labelsOf(model: ComposeModel, svc: ServiceModel, vars: Variables): Record<string, string> {
  const out: Record<string, string> = {};
  const node = resolveAlias(model.doc, getEntry(mapEntries(model.doc, svc.node), 'labels')?.value ?? null);
  if (isMap(node)) {
    for (const e of mapEntries(model.doc, node)) {
      const v = scalarText(resolveAlias(model.doc, e.value), vars);
      out[e.key] = v ?? '';
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const s = scalarText(resolveAlias(model.doc, item as Node), vars);
      if (s === undefined) continue;
      const eq = s.indexOf('=');
      out[eq < 0 ? s : s.slice(0, eq)] = eq < 0 ? '' : s.slice(eq + 1);
    }
  }
  return out;
}

function volumesOf(model: ComposeModel, svc: ServiceModel, vars: Variables): string[] {
  const node = resolveAlias(model.doc, getEntry(mapEntries(model.doc, svc.node), 'volumes')?.value ?? null);
  if (!isSeq(node)) return [];
  const out: string[] = [];
  for (const item of node.items) {
    const n = resolveAlias(model.doc, item as Node);
    if (isScalar(n)) {
      const s = scalarText(n, vars);
      if (s) out.push(s);
    } else if (isMap(n)) {
      const e = mapEntries(model.doc, n);
      const src = scalarText(resolveAlias(model.doc, getEntry(e, 'source')?.value ?? null), vars) ?? '';
      const dst = scalarText(resolveAlias(model.doc, getEntry(e, 'target')?.value ?? null), vars) ?? '';
      out.push(`${src}:${dst}`);
    }
  }
  return out;
}

export function producerFacts(model: ComposeModel, svc: ServiceModel, variables: Variables = {}): ProducerFacts {
  const entries = mapEntries(model.doc, svc.node);
  const mode = (key: string) => scalarText(resolveAlias(model.doc, getEntry(entries, key)?.value ?? null), variables);
  const ipcHost = mode('ipc') === 'host';
  const pidHost = mode('pid') === 'host';
  // The raw text too: `${OSPL_SHMEM_CONFIG}:…` says shared memory even when the variable is unknown here.
  const rawVolumes = volumesOf(model, svc, {});
  const shmemMounts = volumesOf(model, svc, variables).filter((v, i) => SHMEM.test(v) || SHMEM.test(rawVolumes[i] ?? ''));

  const domainEntry = svc.env.get('LSST_DDS_DOMAIN_ID');
  const domainText = domainEntry?.value?.value.trim();
  let domainId = 0;
  let domainIdInvalid: string | undefined;
  if (domainText) {
    if (/^\d{1,9}$/.test(domainText)) domainId = Number(domainText);
    else domainIdInvalid = domainText;
  }
  const labels = labelsOf(model, svc, variables);
  const facts: ProducerFacts = {
    domainId,
    domainIdDefaulted: !domainText,
    sharedMemory: { uses: ipcHost || shmemMounts.length > 0, ipcHost, pidHost, shmemMounts },
    labels,
    dev: parseDevLabels(labels),
  };
  if (domainIdInvalid !== undefined) facts.domainIdInvalid = domainIdInvalid;
  const domainName = svc.env.get('LSST_DDS_DOMAIN_NAME')?.value?.value;
  if (domainName) facts.domainName = domainName;
  if (svc.image) {
    facts.image = svc.image.interpolated;
    const tag = imageTagOf(svc.image.interpolated);
    if (tag) facts.imageTag = tag;
  }
  return facts;
}

/**
 * The docker-compose project of a compose file, which names its containers and networks:
 * `-p` / COMPOSE_PROJECT_NAME when given, else (v2) the file's top-level `name:`, else the
 * directory's basename lower-cased with everything but letters and digits removed (docker-compose
 * 1.x; v2 keeps `-` and `_`).
 */
export function composeProjectName(composePath: string, opts: { flavor?: 'v1' | 'v2'; projectName?: string; topLevelName?: string } = {}): string {
  const given = opts.projectName?.trim();
  if (given) return given;
  if (opts.flavor === 'v2' && opts.topLevelName?.trim()) return opts.topLevelName.trim();
  const base = posix.basename(posix.dirname(composePath)).toLowerCase();
  return opts.flavor === 'v2' ? base.replace(/[^a-z0-9_-]/g, '') : base.replace(/[^a-z0-9]/g, '');
}

/** The top-level `name:` of a compose file (compose v2), if any. */
export function topLevelName(model: ComposeModel, variables: Variables = {}): string | undefined {
  const root = model.doc.contents as Node | null;
  return scalarText(resolveAlias(model.doc, getEntry(mapEntries(model.doc, root), 'name')?.value ?? null), variables);
}
