// Messages between the extension host and the checker worker (dist/lintWorker.js). Only plain
// data crosses: yaml nodes and the Document stay in the worker (structured clone would copy
// whole subtrees and lose their classes); the language features only read services and ranges.
import { Catalogue } from '../../catalogue/catalogue';
import type { ComposeModel, ServiceModel } from '../../compose/model';
import type { Diagnostic } from '../diagnostic';
import type { LintOptions } from '../ruleContext';

/** The catalogue as structured clone carries it: own fields (Maps included), no prototype. */
export type PlainCatalogue = Record<string, unknown>;

export interface LintRequest {
  id: number;
  text: string;
  options: Omit<LintOptions, 'catalogue'>;
  /** Sent when it differs from the one the worker holds; 'default' is the shipped catalogue. */
  catalogue?: PlainCatalogue | 'default';
}

/** The model without yaml nodes (`node` fields null) and without `doc` and `text`. */
export type PlainModel = Omit<ComposeModel, 'doc' | 'text'>;

export type LintReply = { id: number; ok: true; diagnostics: Diagnostic[]; model: PlainModel } | { id: number; ok: false; error: string };

/** Drops what cannot or need not cross: the Document and every yaml node. Modifies `model`'s services. */
export function toPlainModel(model: ComposeModel): PlainModel {
  const strip = (s: ServiceModel) => {
    s.node = null;
    for (const e of s.environment) (e as { node: unknown }).node = null;
    // env holds the same entries; cscList.entry is one of them.
  };
  model.services.forEach(strip);
  model.shadowedServices.forEach(strip);
  const { services, shadowedServices, servicesRange, variables, declared, limit } = model;
  return { services, shadowedServices, servicesRange, variables, declared, ...(limit ? { limit } : {}) };
}

/**
 * Back to a ComposeModel on the host side; the Document is parsed again only if something asks
 * for it (nothing in the language features does).
 */
export function fromPlainModel(plain: PlainModel, text: string, parse: (text: string) => ComposeModel['doc']): ComposeModel {
  let doc: ComposeModel['doc'] | undefined;
  return {
    ...plain,
    text,
    get doc() {
      return (doc ??= parse(text));
    },
  };
}

/** A cloned Catalogue made whole again (its methods live on the prototype). */
export function catalogueFromPlain(plain: PlainCatalogue): Catalogue {
  return Object.setPrototypeOf(plain, Catalogue.prototype) as Catalogue;
}
