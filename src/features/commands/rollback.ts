// Roll back: pick a backup (newest first); the plan's diff shows current ↔ backup; restores the
// exact bytes, then `up -d --no-deps` the producers that differ and are running.
import * as vscode from 'vscode';
import { listBackups } from '../../core/ops/backup';
import { planRollback } from '../../core/ops/plan';
import { readOpsSettings } from '../ops/opsService';
import { parseCommandArg } from './commandArg';
import { hostAndContext, planOrExplain, run } from './kit';
import type { OpsCommand } from './types';

export const rollback: OpsCommand = {
  async run(ops, arg) {
    const a = parseCommandArg(arg);
    const hc = await hostAndContext(ops, 'Roll back', a.host, a.composeFile);
    if (!hc) return undefined;
    const settings = readOpsSettings(hc.conn.alias, a.composeFile);
    const backups = await listBackups(hc.conn.files, settings.composePath, { directory: settings.backupDirectory });
    if (!backups.length) {
      void vscode.window.showInformationMessage(`EFD SAL Kafka: no backups of ${settings.composePath} on ${hc.conn.alias}.`);
      return undefined;
    }
    let chosen = a.backup ? backups.find((b) => b.path === a.backup) : undefined;
    if (a.backup && !chosen) {
      void vscode.window.showErrorMessage(`EFD SAL Kafka: ${a.backup} is not a backup of ${settings.composePath}.`);
      return undefined;
    }
    if (!chosen) {
      const picked = await ops.prompter.pick({
        title: 'Roll back the compose file',
        placeHolder: 'Backup to restore (newest first); the next step shows the diff',
        items: backups.map((b) => ({ label: b.takenAt.toLocaleString(), description: `${b.size} bytes`, detail: b.path, backup: b })),
      });
      chosen = picked?.backup;
    }
    if (!chosen) return undefined;
    const backup = chosen;
    const content = (await hc.conn.files.readFile(backup.path)).content;
    return run(ops, hc.conn, await planOrExplain(ops, 'Roll back', () => planRollback(hc.ctx, { path: backup.path, content, takenAt: backup.takenAt })));
  },
};
