// Resolves the producer a command is about: the tree item it was invoked on, a container name
// passed by another command, or a quick pick over the current producers.
import * as vscode from 'vscode';
import { stateLabel } from '../../core/producers/describe';
import type { Producer } from '../../core/producers/producerTypes';
import type { ProducersSession } from '../tree/producersSession';

export async function pickProducer(session: ProducersSession, arg: unknown, title: string): Promise<Producer | undefined> {
  const status = session.status;
  const producers = status.kind === 'loading' ? [] : status.snapshot?.producers ?? [];
  if (arg && typeof arg === 'object' && 'producer' in arg) return (arg as { producer: Producer }).producer;
  if (typeof arg === 'string') {
    const found = producers.find((p) => p.name === arg || p.containerName === arg);
    if (found) return found;
  }
  if (status.kind === 'disconnected' || producers.length === 0) {
    const pick = await vscode.window.showWarningMessage(
      status.kind === 'disconnected' ? `Not connected to ${session.alias}.` : `No producers found on ${session.alias} yet.`,
      'Connect',
    );
    if (pick === 'Connect') await vscode.commands.executeCommand('efdSalkafka.connect');
    return undefined;
  }
  const items = producers
    .filter((p) => p.state !== 'not-created')
    .map((p) => ({ label: p.name, description: stateLabel(p), detail: p.cscs.map((c) => c.text).join(' '), producer: p }));
  const chosen = await vscode.window.showQuickPick(items, { title, placeHolder: 'Producer container', matchOnDetail: true });
  return chosen?.producer;
}
