// The "Get started" walkthrough's own commands (contributes.walkthroughs in package.json): pick
// the host from ~/.ssh/config, check Docker access. Its other steps use existing commands
// (Open Remote Compose File, the producers view).
import * as vscode from 'vscode';
import type { ConnectionManager } from '../connection';
import { registerCommands } from '../commands/register';
import { checkDocker } from './checkDocker';
import { pickHost } from './pickHost';

export function activateWalkthrough(context: vscode.ExtensionContext, manager: ConnectionManager): void {
  context.subscriptions.push(
    ...registerCommands('walkthrough', {
      'efdSalkafka.pickHost': () => pickHost(),
      'efdSalkafka.checkDockerAccess': (arg?: unknown) => checkDocker(manager, arg),
    }),
  );
}
