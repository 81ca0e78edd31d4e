// Resolves the producer a command is about, and its host: the tree item it was invoked on, a
// container name passed by another command (optionally with its host), or a quick pick over the
// producers of every connected host.
import * as vscode from 'vscode';
import { stateLabel } from '../../core/producers/describe';
import type { Producer } from '../../core/producers/producerTypes';
import { parseCommandArg } from '../commands/commandArg';
import type { ProducersSession } from '../tree/producersSession';
import type { ProducersSessions } from '../tree/producersSessions';

export interface PickedProducer {
  session: ProducersSession;
  producer: Producer;
}

function producersOf(session: ProducersSession): Producer[] {
  const status = session.status;
  return status.kind === 'loading' ? [] : status.snapshot?.producers ?? [];
}

export async function pickProducer(sessions: ProducersSessions, arg: unknown, title: string): Promise<PickedProducer | undefined> {
  // A bare string names a producer here (another command passing its container name).
  const a = parseCommandArg(arg, 'container');
  const scope = a.host ? sessions.all().filter((s) => s.alias === a.host) : sessions.all();
  if (a.producer) {
    const session = scope[0] ?? sessions.primary;
    return { session, producer: a.producer };
  }
  const wanted = a.container;
  if (wanted) {
    for (const session of scope) {
      const found = producersOf(session).find((p) => p.name === wanted || p.containerName === wanted);
      if (found) return { session, producer: found };
    }
  }
  const candidates = scope.flatMap((session) => producersOf(session).filter((p) => p.state !== 'not-created').map((producer) => ({ session, producer })));
  if (candidates.length === 0) {
    const first = scope[0] ?? sessions.primary;
    const disconnected = scope.every((s) => s.status.kind === 'disconnected');
    const pick = await vscode.window.showWarningMessage(disconnected ? `Not connected to ${first.alias}.` : `No producers found on ${scope.map((s) => s.alias).join(', ')} yet.`, 'Connect');
    if (pick === 'Connect') await vscode.commands.executeCommand('efdSalkafka.connect', first.alias);
    return undefined;
  }
  const several = new Set(candidates.map((c) => c.session.alias)).size > 1;
  const items = candidates.map((c) => ({
    label: c.producer.name,
    description: several ? `${c.session.alias} · ${stateLabel(c.producer)}` : stateLabel(c.producer),
    detail: c.producer.cscs.map((x) => x.text).join(' '),
    target: c,
  }));
  const chosen = await vscode.window.showQuickPick(items, { title, placeHolder: 'Producer container', matchOnDetail: true });
  return chosen?.target;
}
