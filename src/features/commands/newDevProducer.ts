// New Development Producer…: the guided questions, then the plan (new file, daemon, exact
// commands, prerequisites, announcement) through the one pipeline (confirm → lock → backup →
// write → up → verify → audit).
import { defaultHistory } from '../../core/catalogue/defaultCatalogue';
import { ImageCatalogues } from '../../core/catalogue/imageCatalogues';
import { planProvisionDev } from '../../core/devProducers/plans';
import { productionProducers } from '../../core/devProducers/provision';
import { readSiteComposeFiles } from '../../core/devProducers/readSiteFiles';
import { producerFacts } from '../../core/producers/producerFacts';
import { askDevRequest } from '../devProducers/askDevRequest';
import { parseCommandArg } from './commandArg';
import { hostAndContext, planOrExplain, run } from './kit';
import type { OpsCommand } from './types';

const TITLE = 'New Development Producer';

export const newDevProducer: OpsCommand = {
  async run(ops, arg) {
    const a = parseCommandArg(arg);
    const hc = await hostAndContext(ops, TITLE, a.host);
    if (!hc) return undefined;
    const { ctx, conn } = hc;
    const { files, skipped } = await readSiteComposeFiles(conn.files, ctx.composePath, ctx.composeContent.toString('utf8'), ctx.variables ?? {});
    if (skipped.length) ops.output.appendLine(`${TITLE}: not read: ${skipped.join('; ')}`);
    const production = productionProducers(files);
    const first = production[0];
    const productionImage = first?.service.image?.interpolated ?? '';
    // The CSC names the image itself knows (its ts_xml), else the catalogue in force.
    const images = new ImageCatalogues(defaultHistory());
    const read = productionImage ? await images.read(conn.docker(), productionImage) : undefined;
    const fallback = await ops.catalogue();
    const catalogue = read?.ok ? read.catalogue : fallback;
    const request = await askDevRequest(ops.prompter, {
      cscNames: new Set([...catalogue.components].map((c) => c.name)),
      cscSource: read?.ok ? `${read.label} in ${productionImage}` : 'the catalogue in force',
      productionImage,
      hasImage: async (image) => !!(await conn.docker().getImage(image).inspect().then(() => true, () => false)),
      productionDomains: new Set(production.map((p) => producerFacts(p.file.model, p.service, ctx.variables ?? {}).domainId)),
      today: new Date().toISOString().slice(0, 10),
    });
    if (!request) return undefined;
    const plan = await planOrExplain(ops, TITLE, () => {
      const { plan: p, provision } = planProvisionDev(ctx, files, request);
      p.warnings.push(`Announcement (copy it to the observatory channel before confirming): ${provision.announcement}`);
      return p;
    });
    return run(ops, conn, plan);
  },
};
