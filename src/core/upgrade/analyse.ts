// The upgrade analysis: for the producers being moved to a target cycle, where each one's cycle
// lives, its ts_xml before → after, what its CSC list loses, and the exact edits of the compose
// and env files (minimal text edits: comments, quoting and order stay as written). Pure: the
// caller reads the files; nothing here touches a host. Every refusal is a `problems` entry,
// computed before any text is produced.
import type { Catalogue } from '../catalogue/catalogue';
import type { CatalogueHistory } from '../catalogue/history';
import { resolveImage } from '../catalogue/imageTag';
import type { EnvDiscovery } from '../compose/envDiscovery';
import { parseEnvFile } from '../compose/envFile';
import type { CscToken, ServiceModel, Variables } from '../compose/model';
import { parseCompose } from '../compose/parseCompose';
import { removeTokenFix } from '../lint/rules/cscList';
import { cscChanges } from './cscDelta';
import type { CscChange } from './cscDelta';
import { describeLocation, findCycleLocation, locationKey } from './location';
import type { CycleLocation } from './location';
import { resolveTarget } from './target';
import type { UpgradeTarget } from './target';

export interface UpgradeComposeInput {
  path: string;
  text: string;
  /** The env files sourced for it (envDiscovery.ts), as for the checker and the change pipeline. */
  discovery: Pick<EnvDiscovery, 'origin' | 'variables' | 'files'>;
}

export interface UpgradeInput {
  composes: UpgradeComposeInput[];
  /** Text of each env file by absolute path (those of the discoveries). */
  envTexts: Readonly<Record<string, string>>;
  target: string | UpgradeTarget;
  /** The producers asked for; default every producer of every compose file. */
  select?: { composePath: string; service: string }[];
  history: CatalogueHistory;
}

export interface ProducerUpgrade {
  service: string;
  composePath: string;
  container: string;
  imageBefore: string;
  imageAfter: string;
  /** ts_xml of the image now, or why it cannot be told. */
  xmlBefore?: string;
  xmlBeforeUnknown?: string;
  xmlAfter: string;
  location: CycleLocation;
  /** Producers (service names, "file: service" when in another compose file) whose cycle lives in the same place. */
  sharedWith: string[];
  /** selected: asked for; shares-cycle: moved because its cycle lives in the same place. */
  reason: 'selected' | 'shares-cycle';
  cscsBefore: string[];
  cscsAfter: string[];
  changes: CscChange[];
  /** Already on the target tag: nothing to do for it. */
  alreadyOnTarget: boolean;
}

export interface UpgradeFileEdit {
  path: string;
  role: 'compose' | 'env';
  oldText: string;
  newText: string;
  /** What changes in it, one line each. */
  what: string[];
}

export interface UpgradeAnalysis {
  target: UpgradeTarget;
  producers: ProducerUpgrade[];
  edits: UpgradeFileEdit[];
  /** Anything here refuses the upgrade (an unknown target, a cycle that cannot be located, …). */
  problems: string[];
  /** Things to read before confirming (producers moved along, index enumeration changes). */
  notes: string[];
}

interface Pending {
  file: string;
  start: number;
  end: number;
  newText: string;
  what: string;
}

/** Computes the upgrade. Never throws on bad input: problems say what is wrong. */
export function analyseUpgrade(input: UpgradeInput): UpgradeAnalysis {
  const { history } = input;
  const target = typeof input.target === 'string' ? resolveTarget(input.target, history) : input.target;
  const problems: string[] = [];
  const notes: string[] = [];
  if (!target.ok) return { target, producers: [], edits: [], problems: [`Unknown target "${target.input}": ${target.reason}.`], notes };

  // Every producer of every file, with where its cycle lives.
  const all: { c: UpgradeComposeInput; svc: ServiceModel; location: CycleLocation }[] = [];
  for (const c of input.composes) {
    const model = parseCompose(c.text, { variables: c.discovery.variables });
    if (model.limit) {
      problems.push(`${c.path}: ${model.limit.message ?? 'not parsed (an analysis limit was reached)'}.`);
      continue;
    }
    for (const svc of model.services) if (svc.isProducer) all.push({ c, svc, location: findCycleLocation(svc, c.path, c.text, c.discovery, input.envTexts) });
  }
  const label = (x: { c: UpgradeComposeInput; svc: ServiceModel }) => (input.composes.length > 1 ? `${basename(x.c.path)}: ${x.svc.name}` : x.svc.name);
  const selected = new Set((input.select ?? all.map((x) => ({ composePath: x.c.path, service: x.svc.name }))).map((s) => `${s.composePath}\u0000${s.service}`));
  for (const s of selected) {
    const [path, service] = s.split('\u0000');
    if (!all.some((x) => x.c.path === path && x.svc.name === service)) problems.push(`There is no producer ${service} in ${path}.`);
  }
  const byKey = new Map<string, typeof all>();
  for (const x of all) {
    const k = locationKey(x.location);
    if (k) byKey.set(k, [...(byKey.get(k) ?? []), x]);
  }
  // Editing a shared place moves every producer of it at its next `up`: they are part of the plan.
  const moving = all.filter((x) => {
    if (selected.has(`${x.c.path}\u0000${x.svc.name}`)) return true;
    const k = locationKey(x.location);
    return k !== undefined && (byKey.get(k) ?? []).some((y) => selected.has(`${y.c.path}\u0000${y.svc.name}`));
  });

  const producers: ProducerUpgrade[] = [];
  const pending: Pending[] = [];
  const cscEdits = new Map<string, { svc: string; changes: CscChange[] }[]>();
  for (const x of moving) {
    const { c, svc, location } = x;
    const image = svc.image?.interpolated ?? '';
    const before = resolveImage(image, history);
    const words = (svc.cscList?.tokens ?? []).filter((t) => t.kind === 'csc');
    const k = locationKey(location);
    const sharers = k ? (byKey.get(k) ?? []).filter((y) => y !== x).map(label) : [];
    const reason = selected.has(`${c.path}\u0000${svc.name}`) ? 'selected' : 'shares-cycle';
    const imageAfter = withTag(image, target.tag);
    const p: ProducerUpgrade = {
      service: svc.name,
      composePath: c.path,
      container: svc.containerName?.value || svc.name,
      imageBefore: image,
      imageAfter,
      xmlBefore: before.ok ? before.version : undefined,
      xmlBeforeUnknown: before.ok ? undefined : before.reason,
      xmlAfter: target.version,
      location,
      sharedWith: sharers,
      reason,
      cscsBefore: (svc.cscList?.tokens ?? []).map((t) => t.text),
      cscsAfter: [],
      changes: [],
      alreadyOnTarget: imageTagEquals(image, target.tag),
    };
    producers.push(p);
    if (location.kind === 'unknown') problems.push(`${label(x)}: cannot tell where its cycle is set: ${location.reason}.`);
    const fileProducer = svc.cscList?.tokens.some((t) => t.kind === 'option' && t.name === '--file');
    if (fileProducer) notes.push(`${label(x)} reads its topics from a --file topic-set file: its CSCs are not checked against ts_xml ${target.version} here.`);
    p.changes = cscChanges(words.map((t) => ({ text: t.text, name: t.name, index: t.index })), before.ok ? before.versionIndex : undefined, target.versionIndex, history);
    const edited = p.changes.filter((ch) => ch.breaking);
    p.cscsAfter = p.cscsBefore.flatMap((w) => {
      const ch = edited.find((e) => e.token === w);
      return ch ? (ch.replacement ? [ch.replacement] : []) : [w];
    });
    if (edited.length) {
      const list = svc.cscList;
      if (!list?.entry.value?.exact || list.entry.value.variables.length > 0 || list.tokens.some((t) => !t.exact)) {
        problems.push(`${label(x)}: CSC_LIST must change (${edited.map((e) => e.token).join(', ')}) but it is written through a variable or across lines; edit it by hand first.`);
      } else if (!p.cscsAfter.some((w) => !w.startsWith('-')) && words.length > 0) {
        problems.push(`${label(x)}: none of its CSCs (${words.map((w) => w.text).join(' ')}) is in ts_xml ${target.version}; stop or remove the producer instead of upgrading it.`);
      } else {
        const list2 = cscEdits.get(c.path) ?? [];
        list2.push({ svc: svc.name, changes: edited });
        cscEdits.set(c.path, list2);
      }
    }
    for (const ch of p.changes) if (!ch.breaking) notes.push(`${label(x)}: ${ch.detail}`);
  }
  // One edit per cycle location (shared places once).
  const seen = new Set<string>();
  for (const p of producers) {
    const l = p.location;
    const k = locationKey(l);
    if (!k || seen.has(k) || l.kind === 'unknown') continue;
    seen.add(k);
    if (l.value === target.tag) continue;
    const what = l.kind === 'literal' ? `image tag of ${p.service}: ${l.value} → ${target.tag}` : `${l.variable}: ${l.value} → ${target.tag}`;
    pending.push({ file: l.file, start: l.range.start, end: l.range.end, newText: target.tag, what });
  }
  const movedAlong = producers.filter((p) => p.reason === 'shares-cycle');
  if (movedAlong.length) {
    notes.push(`Also moved, because their cycle is set in the same place: ${movedAlong.map((p) => `${p.service} (${describeLocation(p.location, basename)})`).join(', ')}.`);
  }
  if (problems.length) return { target, producers, edits: [], problems, notes };

  const edits = buildEdits(input, pending, cscEdits, problems);
  if (!problems.length) selfCheck(input, producers, edits, target.tag, problems);
  return { target, producers, edits: problems.length ? [] : edits, problems, notes };
}

function buildEdits(
  input: UpgradeInput,
  pending: Pending[],
  cscEdits: Map<string, { svc: string; changes: CscChange[] }[]>,
  problems: string[],
): UpgradeFileEdit[] {
  const texts = new Map<string, { role: 'compose' | 'env'; text: string; what: string[] }>();
  for (const c of input.composes) texts.set(c.path, { role: 'compose', text: c.text, what: [] });
  for (const [path, text] of Object.entries(input.envTexts)) if (!texts.has(path)) texts.set(path, { role: 'env', text, what: [] });
  // Location edits first, last offset first, on the texts the locations were found in.
  for (const e of [...pending].sort((a, b) => b.start - a.start)) {
    const t = texts.get(e.file);
    if (!t) {
      problems.push(`${e.file} was not read; cannot edit it.`);
      continue;
    }
    t.text = t.text.slice(0, e.start) + e.newText + t.text.slice(e.end);
    t.what.push(e.what);
  }
  // CSC edits, one word at a time on a fresh parse (positions move after each).
  for (const [path, services] of cscEdits) {
    const t = texts.get(path)!;
    const vars = input.composes.find((c) => c.path === path)!.discovery.variables;
    for (const { svc, changes } of services) {
      for (const ch of changes) {
        const tokens = parseCompose(t.text, { variables: vars }).services.find((s) => s.name === svc)?.cscList?.tokens ?? [];
        const i = tokens.findIndex((tok) => tok.kind === 'csc' && tok.text === ch.token);
        if (i < 0) {
          problems.push(`${svc}: ${ch.token} was not found in CSC_LIST while editing; nothing was changed.`);
          continue;
        }
        t.text = replaceWord(t.text, tokens, i, ch.replacement);
        t.what.push(ch.replacement ? `${svc}: CSC ${ch.token} → ${ch.replacement}` : `${svc}: remove CSC ${ch.token}`);
      }
    }
  }
  const out: UpgradeFileEdit[] = [];
  for (const [path, t] of texts) {
    const old = t.role === 'compose' ? input.composes.find((c) => c.path === path)!.text : input.envTexts[path];
    if (t.text !== old) out.push({ path, role: t.role, oldText: old, newText: t.text, what: t.what.reverse() });
  }
  return out;
}

function replaceWord(text: string, tokens: CscToken[], i: number, replacement: string | undefined): string {
  const tok = tokens[i];
  if (replacement) return text.slice(0, tok.range.start) + replacement + text.slice(tok.range.end);
  const r = removeTokenFix(text, tok, i === 0, '').edits[0].range;
  return text.slice(0, r.start) + text.slice(r.end);
}

/** The edited files must say exactly what the plan says: every moved image on the target tag, CSC lists as planned. */
function selfCheck(input: UpgradeInput, producers: ProducerUpgrade[], edits: UpgradeFileEdit[], tag: string, problems: string[]): void {
  const textOf = (path: string, fallback: string) => edits.find((e) => e.path === path)?.newText ?? fallback;
  for (const c of input.composes) {
    const moved = producers.filter((p) => p.composePath === c.path);
    if (!moved.length) continue;
    const vars: Variables = { ...c.discovery.variables };
    for (const f of c.discovery.files) Object.assign(vars, parseEnvFile(textOf(f.path, input.envTexts[f.path] ?? '')));
    const model = parseCompose(textOf(c.path, c.text), { variables: expandChains(vars) });
    for (const p of moved) {
      const svc = model.services.find((s) => s.name === p.service);
      const got = svc?.image?.interpolated ?? '';
      if (!imageTagEquals(got, tag)) problems.push(`Self-check: after the edit ${p.service} would run ${got || 'no image'}, not tag ${tag}; nothing was changed.`);
      const words = (svc?.cscList?.tokens ?? []).map((t) => t.text);
      if (words.join(' ') !== p.cscsAfter.join(' ')) problems.push(`Self-check: after the edit the CSC_LIST of ${p.service} would be "${words.join(' ')}", not "${p.cscsAfter.join(' ')}"; nothing was changed.`);
    }
  }
}

/** `A=${B}` in sourced files: one pass of the shell's expansion, enough for the chains followed in location.ts. */
function expandChains(vars: Variables): Variables {
  const out: Variables = { ...vars };
  for (let pass = 0; pass < 3; pass++) {
    for (const [k, v] of Object.entries(out)) {
      const m = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(v);
      if (m && out[m[1]] !== undefined) out[k] = out[m[1]];
    }
  }
  return out;
}

/** The image reference with its tag replaced (or added). */
export function withTag(image: string, tag: string): string {
  const ref = image.split('@')[0];
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return `${colon > slash ? ref.slice(0, colon) : ref}:${tag}`;
}

function imageTagEquals(image: string, tag: string): boolean {
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash && image.slice(colon + 1) === tag;
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}
