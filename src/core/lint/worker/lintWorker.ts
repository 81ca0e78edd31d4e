// Entry of dist/lintWorker.js: the checker in a worker thread, so a large document is analysed
// off the extension host's main thread and a new edit can stop it (the host terminates the
// worker; synchronous work cannot be interrupted any other way).
import { parentPort } from 'node:worker_threads';
import type { Catalogue } from '../../catalogue/catalogue';
import { defaultCatalogue } from '../../catalogue/defaultCatalogue';
import { lintCompose } from '../lint';
import { catalogueFromPlain, LintReply, LintRequest, toPlainModel } from './protocol';

let catalogue: Catalogue = defaultCatalogue();

parentPort?.on('message', (req: LintRequest) => {
  let reply: LintReply;
  try {
    if (req.catalogue) catalogue = req.catalogue === 'default' ? defaultCatalogue() : catalogueFromPlain(req.catalogue);
    const { model, diagnostics } = lintCompose(req.text, { ...req.options, catalogue });
    reply = { id: req.id, ok: true, diagnostics, model: toPlainModel(model) };
  } catch (err) {
    reply = { id: req.id, ok: false, error: String((err as Error)?.message ?? err) };
  }
  parentPort!.postMessage(reply);
});
