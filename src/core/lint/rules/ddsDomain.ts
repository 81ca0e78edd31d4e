import { ddsFacts, domainNumberInName } from '../../devProducers/ddsFacts';
import { expiresIn } from '../../devProducers/expiry';
import { diagnosticsOf, type CodeTable } from '../diagnostic';
import { declareRule, type Rule } from '../ruleContext';

/** The codes this rule reports (severity and summary; the README table shows them). */
export const CODES = {
  'dds-domain-mismatch': { severity: 'warning', summary: "`LSST_DDS_DOMAIN_NAME` ends with another number than `LSST_DDS_DOMAIN_ID` (`ospl_sp_ddsi_7` on domain 8): the ID decides where the producer runs, the name misleads." },
  'dev-producer-expired': { severity: 'info', summary: "A development producer is past its `org.lsst.efd.salkafka.expires` date (a bare date runs to the end of that day, UTC): take it down or extend it." },
} as const satisfies CodeTable;
const diagnostic = diagnosticsOf(CODES);

/**
 * The DDS side of one producer. ts_ddsconfig's files take the domain from LSST_DDS_DOMAIN_ID and
 * only label it with LSST_DDS_DOMAIN_NAME; the summit's convention is ospl_sp_ddsi_<ID>
 * (lsst-it/docker-compose-ops, 2021). A name numbered for another domain does not stop the
 * producer (a warning) but sends whoever reads it to the wrong domain. A development producer
 * past its expiry still runs (information): the procedure says to take it down afterwards.
 */
export const ddsDomain: Rule = (ctx) => {
  const now = ctx.options.nowMs ?? Date.now();
  for (const service of ctx.model.services) {
    if (!service.isProducer) continue;
    const facts = ddsFacts(ctx.model, service);
    const id = facts.domainId;
    const name = facts.domainName;
    const named = name === undefined ? undefined : domainNumberInName(name);
    if (id !== undefined && facts.domainIdEntry && named !== undefined && named !== id && facts.domainNameEntry?.value) {
      ctx.report(
        diagnostic(
          'dds-domain-mismatch',
          facts.domainNameEntry.value.range,
          `LSST_DDS_DOMAIN_NAME "${name}" names domain ${named}, but LSST_DDS_DOMAIN_ID is ${id}: the producer runs on domain ${id}. Write ospl_sp_ddsi_${id}, or set the ID you meant.`,
        ),
      );
    }
    const exp = facts.dev?.expires?.text;
    const left = expiresIn(facts.dev?.expires?.at, now);
    if (left?.expired) {
      const who = facts.dev?.owner ? ` (owner ${facts.dev.owner}${facts.dev.purpose ? `, for ${facts.dev.purpose}` : ''})` : '';
      ctx.report(
        diagnostic(
          'dev-producer-expired',
          service.nameRange,
          `Development producer ${service.name}${who} ${left.text} (${exp}): take it down, or extend its expiry if the work goes on.`,
        ),
      );
    }
  }
};

export const ddsDomainRule = declareRule({ rule: ddsDomain, codes: CODES, kinds: ['compose'], perService: true });
