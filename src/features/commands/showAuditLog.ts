// Show the host's audit log (salkafka-audit.jsonl or efdSalkafka.auditLogFile) in the
// "EFD SAL Kafka: Audit" output channel, newest last, with unreadable lines pointed out.
import * as vscode from 'vscode';
import { auditLogPath, formatAuditRecord, parseAuditLog } from '../../core/ops/audit';
import { readOpsSettings } from '../ops/opsService';
import type { OpsCommand } from './types';

export const showAuditLog: OpsCommand = {
  id: 'efdSalkafka.showAuditLog',
  async run(ops) {
    const settings = readOpsSettings();
    const path = auditLogPath(settings.composePath, settings.auditLogFile);
    try {
      const conn = await ops.connection();
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
