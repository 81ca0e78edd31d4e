import * as posix from 'node:path/posix';
import type { ServiceModel } from '../compose/model';
import { LineIndex } from '../text/lineIndex';
import { ddsFacts } from './ddsFacts';
import { DEV_LABELS } from '../producers/devLabels';
import { DevRequestError, type ParsedComposeFile, type PlannedFile } from './provision';

/**
 * Taking a development producer down: stop it with its grace period (SIGTERM, ts_salkafka closes
 * its readers and producers), remove its container, remove its service from the file that
 * defines it (or the file, when nothing else is left in it), and the daemon planned with it
 * (label org.lsst.efd.salkafka.daemon) when no other producer of the files uses it.
 * Containers go first (by name, so the removed file is not needed), the file change after.
 */
export interface DevTakeDown {
  service: string;
  containers: string[];
  /** Services removed from the file (the producer, maybe its daemon). */
  removed: string[];
  file: PlannedFile;
  /** `docker stop -t <grace> …` then `docker rm …`. */
  commands: string[];
  notes: string[];
}

export function planTakeDown(files: readonly ParsedComposeFile[], path: string, serviceName: string, graceSeconds: number): DevTakeDown {
  const file = files.find((f) => f.path === path);
  const service = file?.model.services.find((s) => s.name === serviceName);
  if (!file || !service) throw new DevRequestError(`${serviceName} is not defined in ${path}.`);
  const facts = ddsFacts(file.model, service);
  if (!facts.dev) throw new DevRequestError(`${serviceName} has no development labels (${DEV_LABELS.owner}, …): it is not a development producer; use Remove CSC or edit the file for production producers.`);
  const removed: ServiceModel[] = [service];
  const notes: string[] = [];
  const daemonName = facts.devDaemon;
  if (daemonName) {
    const daemon = file.model.services.find((s) => s.name === daemonName);
    const users = files.flatMap((f) => f.model.services.filter((s) => s !== service && s.isProducer && ddsFacts(f.model, s).hostSharedMemory && ddsFacts(f.model, s).domainId === facts.domainId).map((s) => s.name));
    if (!daemon) notes.push(`Its daemon ${daemonName} is not in ${posix.basename(path)}; left alone.`);
    else if (users.length) notes.push(`Its daemon ${daemonName} stays: ${users.join(', ')} use${users.length === 1 ? 's' : ''} domain ${facts.domainId} too.`);
    else removed.push(daemon);
  }
  const names = removed.map((s) => s.name);
  const containers = removed.map((s) => s.containerName?.value ?? s.name);
  const left = file.model.services.filter((s) => !names.includes(s.name));
  const planned: PlannedFile = left.length ? { path, kind: 'modify', before: file.text, after: removeServices(file.text, removed) } : { path, kind: 'delete', before: file.text };
  const g = Math.max(0, Math.round(graceSeconds));
  return {
    service: serviceName,
    containers,
    removed: names,
    file: planned,
    commands: [`docker stop -t ${g} ${containers.join(' ')}`, `docker rm ${containers.join(' ')}`],
    notes,
  };
}

/**
 * The text without the services' lines, and without the blank line that set the first apart:
 * what planDevProducer inserted into a main file comes out byte for byte.
 */
export function removeServices(text: string, services: readonly ServiceModel[]): string {
  const idx = new LineIndex(text);
  const spans = services
    .map((s) => {
      const startLine = idx.positionAt(s.nameRange.start).line;
      const endLine = idx.positionAt(Math.max(s.range.end - 1, s.nameRange.start)).line;
      return { start: lineStart(text, startLine), end: lineStart(text, endLine + 1) };
    })
    .sort((a, b) => a.start - b.start);
  // Merge adjacent spans (the producer and its daemon were written one after the other).
  const merged: { start: number; end: number }[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  let out = text;
  for (const m of merged.reverse()) {
    let start = m.start;
    // One blank line before the block goes with it.
    if (start >= 2 && out[start - 1] === '\n' && out[start - 2] === '\n') start -= 1;
    out = out.slice(0, start) + out.slice(m.end);
  }
  return out;
}

function lineStart(text: string, line: number): number {
  let pos = 0;
  for (let i = 0; i < line; i++) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) return text.length;
    pos = nl + 1;
  }
  return pos;
}
