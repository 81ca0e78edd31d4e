// Take Down Development Producer…: stop with the grace period, remove the container, remove the
// service (or its file) and the daemon planned with it, through the one pipeline (backed up,
// audited, reversible with Roll Back).
import { planTakeDownDev } from '../../core/devProducers/plans';
import { readSiteComposeFiles } from '../../core/devProducers/readSiteFiles';
import { ddsFacts } from '../../core/devProducers/ddsFacts';
import { mapContainers } from '../../core/ops/context';
import { parseCommandArg } from './commandArg';
import { hostAndContext, planOrExplain, run } from './kit';
import type { OpsCommand } from './types';

const TITLE = 'Take Down Development Producer';

export const takeDownDevProducer: OpsCommand = {
  async run(ops, arg) {
    const a = parseCommandArg(arg);
    const hc = await hostAndContext(ops, TITLE, a.host);
    if (!hc) return undefined;
    const { ctx, conn } = hc;
    const { files } = await readSiteComposeFiles(conn.files, ctx.composePath, ctx.composeContent.toString('utf8'), ctx.variables ?? {});
    const dev = files.flatMap((f) => f.model.services.filter((s) => s.isProducer && ddsFacts(f.model, s).dev).map((s) => ({ file: f, service: s, facts: ddsFacts(f.model, s) })));
    let target = a.service ? dev.find((d) => d.service.name === a.service && (!a.composeFile || d.file.path === a.composeFile)) : undefined;
    if (a.service && !target) {
      ops.output.appendLine(`${TITLE}: ${a.service} is not a development producer (no org.lsst.efd.salkafka.* labels) in the compose files read.`);
      void ops.prompter.modal({ message: `${a.service} is not a development producer`, detail: 'Only producers with development labels (owner, purpose, expiry) are taken down here; production producers are changed with Remove CSC or by editing the file.', choices: [], severity: 'info' });
      return undefined;
    }
    if (!target) {
      const picked = await ops.prompter.pick({
        title: TITLE,
        placeHolder: dev.length ? 'Development producer' : 'No development producer in the compose files',
        items: dev.map((d) => ({ label: d.service.name, description: `domain ${d.facts.domainId ?? '?'} · ${d.facts.dev?.owner ?? '?'} · until ${d.facts.dev?.expires?.text ?? '?'}`, detail: d.file.path, d })),
      });
      if (!picked) return undefined;
      target = picked.d;
    }
    const t = target;
    // The plan context knows the main file's containers; the sibling files' ones (the producer,
    // its daemon) are looked up here, so the plan stops and removes exactly those that exist.
    const list = await conn.docker().listContainers({ all: true });
    const services = files.flatMap((f) => f.model.services.map((s) => ({ name: s.name, containerName: s.containerName?.value })));
    const withSiblings = { ...ctx, containers: { ...mapContainers(services, list), ...ctx.containers } };
    return run(ops, conn, await planOrExplain(ops, TITLE, () => planTakeDownDev(withSiblings, files, t.file.path, t.service.name).plan));
  },
};
