// Verify on demand: the producer as the compose file describes it, checked against the host.
import * as vscode from 'vscode';
import { verifyProducer as verify } from '../../core/ops/verify';
import { verifyMarkdown, verifyText } from '../../core/ops/reportText';
import { hostClockSkew } from '../../core/ops/apply';
import { readOpsSettings } from '../ops/opsService';
import { parseCommandArg } from './commandArg';
import { hostAndContext } from './kit';
import type { OpsCommand } from './types';

export const verifyProducer: OpsCommand = {
  async run(ops, arg) {
    const a = parseCommandArg(arg);
    const hc = await hostAndContext(ops, 'Verify', a.host, a.composeFile);
    if (!hc) return undefined;
    const service = await ops.pickService(hc.ctx, a.service, 'Verify: producer');
    if (!service) return undefined;
    const svc = ops.producers(hc.ctx).find((s) => s.name === service);
    if (!svc) {
      void vscode.window.showErrorMessage(`EFD SAL Kafka: no producer ${service} in the compose file.`);
      return undefined;
    }
    const tokens = svc.cscList?.tokens ?? [];
    const fileProducer = tokens.some((t) => t.kind === 'option' && t.name === '--file');
    const container = hc.ctx.containers[service]?.name ?? svc.containerName?.value ?? service;
    const timeout = readOpsSettings(hc.conn.alias).verifyTimeoutSeconds;
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Verifying ${container}`, cancellable: true },
      async (_p, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        const docker = hc.conn.docker();
        return verify(
          docker,
          { container, expect: { state: 'running', restarted: 'either', cscs: fileProducer ? [] : tokens.filter((t) => t.kind === 'csc').map((t) => t.text), fileProducer }, settleSeconds: 0 },
          { timeoutSeconds: timeout, signal: ac.signal, clockSkewMs: await hostClockSkew(docker) },
        );
      },
    );
    ops.publishVerification(report, hc.conn.alias);
    ops.output.appendLine(`\n=== ${new Date().toISOString()} VERIFY ${container}\n${verifyText(report)}`);
    await ops.docs.showMarkdown(`verify-${Date.now().toString(36)}`, `${container}-verification.md`, verifyMarkdown(report));
    if (report.ok) void vscode.window.showInformationMessage(`EFD SAL Kafka: ${report.summary}`);
    else void vscode.window.showErrorMessage(`EFD SAL Kafka: ${report.summary}`, 'Troubleshoot').then((x) => x && vscode.commands.executeCommand('efdSalkafka.troubleshoot', { service }));
    return report;
  },
};
