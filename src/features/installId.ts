// A random id of this extension install, kept in its global state: the probe containers it
// creates carry it, so cleaning up leftovers never touches anyone else's containers.
import { randomBytes } from 'crypto';
import type * as vscode from 'vscode';

const KEY = 'efdSalkafka.installId';

export function installId(context: vscode.ExtensionContext): string {
  const known = context.globalState.get<string>(KEY);
  if (typeof known === 'string' && /^[0-9a-f]{32}$/.test(known)) return known;
  const id = randomBytes(16).toString('hex');
  void context.globalState.update(KEY, id);
  return id;
}
