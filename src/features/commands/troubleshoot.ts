import * as vscode from 'vscode';
import { gatherAndDiagnose } from '../../core/ops/troubleshoot';
import { troubleshootMarkdown } from '../../core/ops/reportText';
import { parseCommandArg } from './commandArg';
import { hostAndContext } from './kit';
import type { OpsCommand } from './types';

export const troubleshoot: OpsCommand = {
  async run(ops, arg) {
    const a = parseCommandArg(arg);
    const hc = await hostAndContext(ops, 'Troubleshoot', a.host, a.composeFile);
    if (!hc) return undefined;
    const service = await ops.pickService(hc.ctx, a.service, 'Troubleshoot: producer');
    if (!service) return undefined;
    const svc = ops.producers(hc.ctx).find((s) => s.name === service);
    const container = hc.ctx.containers[service]?.name ?? svc?.containerName?.value ?? service;
    let expected = a.expectedDomainId;
    if (expected === undefined && !a.service) {
      expected = await ops.prompter.input({
        title: `Troubleshoot ${container}`,
        prompt: 'DDS domain (LSST_DDS_DOMAIN_ID) your CSCs run on — leave empty to skip the domain check',
        validate: (v) => (v === '' || /^\d{1,3}$/.test(v) ? undefined : 'a domain id is a small integer'),
      });
      if (expected === '') expected = undefined;
    }
    const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Troubleshooting ${container}…` }, async () =>
      gatherAndDiagnose(hc.conn, container, {
        catalogue: await ops.catalogue(),
        cscList: svc?.cscList?.tokens.filter((t) => t.kind === 'csc').map((t) => t.text),
        expectedDomainId: expected,
      }),
    );
    const md = troubleshootMarkdown(report);
    ops.output.appendLine(`\n=== ${new Date().toISOString()} TROUBLESHOOT ${container}\n${report.findings.map((f) => `[${f.severity}] ${f.title} — ${f.action}`).join('\n')}`);
    await ops.docs.showMarkdown(`ts-${Date.now().toString(36)}`, `${container}-troubleshoot.md`, md);
    void vscode.window.showInformationMessage(`EFD SAL Kafka: ${container}: ${report.headline}`);
    return report;
  },
};
