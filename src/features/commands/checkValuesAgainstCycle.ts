// "Check Values File Against Cycle…": on an open Argo CD kafka-producers values file, what would
// break if image.tag were changed to a cycle: CSCs the new ts_xml lacks (with their successor)
// and changed index enumerations, as diagnostics on the words and a report in the output.
import * as vscode from 'vscode';
import { defaultHistory } from '../../core/catalogue/defaultCatalogue';
import { valuesEnvironment } from '../../core/values/valuesPath';
import { detectFileKind } from '../../core/values/recognise';
import { checkValuesAgainst, valuesCheckText } from '../../core/upgrade/valuesCheck';
import type { ValuesCheck } from '../../core/upgrade/valuesCheck';
import { pickUpgradeTarget } from '../upgrade/pickTarget';
import type { OpsCommand } from './types';

const TITLE = 'Check Values File Against Cycle';
let collection: vscode.DiagnosticCollection | undefined;
let output: vscode.OutputChannel | undefined;

export const checkValuesAgainstCycle: OpsCommand = {
  async run(ops, arg): Promise<ValuesCheck | undefined> {
    const a = (arg ?? {}) as { uri?: vscode.Uri; cycle?: string };
    const uri = a.uri instanceof vscode.Uri ? a.uri : vscode.window.activeTextEditor?.document.uri;
    if (!uri) {
      void vscode.window.showErrorMessage(`EFD SAL Kafka: ${TITLE}: open a kafka-producers values file first.`);
      return undefined;
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    const text = doc.getText();
    if (detectFileKind(uri.path, text) !== 'helmValues') {
      void vscode.window.showErrorMessage(`EFD SAL Kafka: ${TITLE}: ${uri.path.split('/').pop()} is not a kafka-producers values file (no producers with cscs).`);
      return undefined;
    }
    const target = await pickUpgradeTarget(ops.prompter, TITLE, typeof a.cycle === 'string' ? a.cycle : undefined);
    if (!target) return undefined;
    if (!target.ok) {
      void vscode.window.showErrorMessage(`EFD SAL Kafka: ${TITLE}: ${target.reason}.`);
      return undefined;
    }
    // A values-<env>.yaml is deployed merged over the values.yaml beside it.
    let base: { text: string; path: string } | undefined;
    if (valuesEnvironment(uri.path) !== undefined) {
      const baseUri = vscode.Uri.joinPath(uri, '..', 'values.yaml');
      try {
        base = { text: new TextDecoder().decode(await vscode.workspace.fs.readFile(baseUri)), path: baseUri.path };
      } catch {
        base = undefined;
      }
    }
    const check = checkValuesAgainst({ text, base }, target, defaultHistory());
    collection ??= vscode.languages.createDiagnosticCollection('efdSalkafka.cyclePrecheck');
    const diagnostics: vscode.Diagnostic[] = [];
    for (const p of check.producers) {
      for (const ch of p.changes) {
        const r = p.ranges[ch.token];
        const range = r ? new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.end)) : new vscode.Range(0, 0, 0, 0);
        const line = p.lines[ch.token];
        const d = new vscode.Diagnostic(range, `${target.label}: ${p.producer}: ${line !== undefined && line < 0 ? `values.yaml line ${-line}: ` : ''}${ch.detail}`, ch.breaking ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Information);
        d.source = 'upgrade pre-check';
        d.code = `cycle-${ch.kind}`;
        diagnostics.push(d);
      }
    }
    collection.set(uri, diagnostics);
    output ??= vscode.window.createOutputChannel('EFD SAL Kafka: Upgrade');
    output.appendLine(valuesCheckText(check, uri.path.split('/').pop() ?? uri.path).join('\n'));
    output.show(true);
    void vscode.window.showInformationMessage(
      check.breaking
        ? `EFD SAL Kafka: ${check.breaking} CSC change${check.breaking === 1 ? '' : 's'} needed before image.tag can be ${target.tag} (see Problems).`
        : `EFD SAL Kafka: nothing breaks on ${target.label}.`,
    );
    return check;
  },
};
