import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { ComposeModel, EnvEntry, Range, ServiceModel } from '../compose/model';
import { getEntry, mapEntries, rangeOf } from '../compose/yamlNodes';
import { DEV_LABELS, parseDevLabels, type DevMetadata } from '../producers/devLabels';

/**
 * What a service's compose block says about its DDS side, read the way OpenSplice and
 * ts_salobj read it: LSST_DDS_DOMAIN_ID (default 0), LSST_DDS_DOMAIN_NAME (the ts_ddsconfig
 * files' `<Name>`, `ospl_sp_ddsi` by default), and whether it attaches to a daemon on the host
 * through shared memory (`ipc: host`: without the host's IPC namespace the shared-memory segment
 * of a daemon in another container is out of reach; the 2021 production producers instead ran
 * `ospl start` inside their own container from startup.sh).
 */
export interface DdsFacts {
  /** The domain ID; 0 when unset (ts_ddsconfig's default); undefined when not a number or from an unset variable. */
  domainId: number | undefined;
  domainIdEntry?: EnvEntry;
  domainName?: string;
  domainNameEntry?: EnvEntry;
  /** `ipc: host`: uses the shared memory of a daemon running elsewhere on the host. */
  hostSharedMemory: boolean;
  ipcRange?: Range;
  /** Labels as key → value. */
  labels: Map<string, string>;
  /** Development labels (producers/devLabels.ts), when any is present. */
  dev?: DevMetadata;
  /** The daemon service planned with it (label), if any. */
  devDaemon?: string;
  /** A service that runs an OpenSplice daemon (image or container named ospl-daemon). */
  isDaemon: boolean;
}

export function ddsFacts(model: ComposeModel, service: ServiceModel): DdsFacts {
  const idEntry = service.env.get('LSST_DDS_DOMAIN_ID');
  const nameEntry = service.env.get('LSST_DDS_DOMAIN_NAME');
  const entries = mapEntries(model.doc, service.node as Node | null);
  const ipc = getEntry(entries, 'ipc');
  const ipcValue = ipc && isScalar(ipc.value) ? String(ipc.value.value) : undefined;
  const labels = readLabels(model, getEntry(entries, 'labels')?.value ?? null);
  return {
    domainId: domainIdOf(idEntry),
    ...(idEntry ? { domainIdEntry: idEntry } : {}),
    ...(nameEntry?.value && !nameEntry.value.variables.some((v) => v.unset) ? { domainName: nameEntry.value.value } : {}),
    ...(nameEntry ? { domainNameEntry: nameEntry } : {}),
    hostSharedMemory: ipcValue === 'host',
    ...(ipc ? { ipcRange: rangeOf(ipc.value) ?? rangeOf(ipc.keyNode) } : {}),
    labels,
    ...withDev(parseDevLabels(Object.fromEntries(labels))),
    ...(labels.get(DEV_LABELS.daemon) ? { devDaemon: labels.get(DEV_LABELS.daemon) } : {}),
    isDaemon: isDaemonService(service),
  };
}

function withDev(dev: DevMetadata): { dev?: DevMetadata } {
  return dev.marked ? { dev } : {};
}

function domainIdOf(entry: EnvEntry | undefined): number | undefined {
  if (!entry) return 0;
  if (!entry.value || entry.value.variables.some((v) => v.unset)) return undefined;
  const v = entry.value.value.trim();
  return /^\d{1,9}$/.test(v) ? Number(v) : undefined;
}

/** ospl-daemon images (ts-dockerhub.lsst.org/ospl-daemon:c0021) or containers named so. */
export function isDaemonService(service: ServiceModel): boolean {
  const image = service.image?.interpolated ?? service.image?.value ?? '';
  const repo = image.replace(/[:@][^/]*$/, '').split('/').pop() ?? '';
  return /^ospl-daemon/.test(repo) || /^ospl-daemon/.test(service.containerName?.value ?? '');
}

function readLabels(model: ComposeModel, node: Node | null): Map<string, string> {
  const out = new Map<string, string>();
  if (isMap(node)) {
    for (const e of mapEntries(model.doc, node)) if (isScalar(e.value)) out.set(e.key, String(e.value.value ?? ''));
  } else if (isSeq(node)) {
    for (const item of node.items) {
      if (!isScalar(item)) continue;
      const text = String(item.value ?? '');
      const eq = text.indexOf('=');
      out.set(eq < 0 ? text : text.slice(0, eq), eq < 0 ? '' : text.slice(eq + 1));
    }
  }
  return out;
}

/** The number a domain name ends with (`ospl_sp_ddsi_7` → 7), if any. */
export function domainNumberInName(name: string): number | undefined {
  const m = /(?:^|[^0-9])0*(\d{1,9})$/.exec(name);
  return m ? Number(m[1]) : undefined;
}
