// Show the host's audit log (salkafka-audit.jsonl or efdSalkafka.auditLogFile) in the
// "EFD SAL Kafka: Audit" output channel, newest last, with unreadable lines pointed out.
import * as vscode from 'vscode';
import { auditLogPath, formatAuditRecord, parseAuditLog } from '../../core/ops/audit';
import { OpsCancelledError, readOpsSettings } from '../ops/opsService';
import { parseCommandArg } from './commandArg';
import type { OpsCommand } from './types';

export const showAuditLog: OpsCommand = {
  async run(ops, arg) {
    let conn;
    try {
      conn = await ops.connection(parseCommandArg(arg).host);
    } catch (err) {
      if (!(err instanceof OpsCancelledError)) void vscode.window.showErrorMessage(`EFD SAL Kafka: Show Audit Log: ${(err as Error).message}`);
      return undefined;
    }
    const settings = readOpsSettings(conn.alias);
    const path = auditLogPath(settings.composePath, settings.auditLogFile);
    try {
      let text = '';
      try {
        text = (await conn.files.readFile(path)).content.toString('utf8');
      } catch (err) {
        if ((err as { code?: unknown }).code !== 2) throw err;
      }
      const log = parseAuditLog(text);
      ops.auditOutput.clear();
      ops.auditOutput.appendLine(`${path} on ${conn.alias}: ${log.records.length} record(s)${log.badLines.length ? `; unreadable line(s): ${log.badLines.join(', ')}` : ''}`);
      for (const r of log.records) ops.auditOutput.appendLine(formatAuditRecord(r));
      ops.auditOutput.show(true);
      return log;
    } catch (err) {
      void vscode.window.showErrorMessage(`EFD SAL Kafka: cannot read the audit log ${path}: ${(err as Error).message}`);
      return undefined;
    }
  },
};
