// The one way a command handler is registered. A feature names its feature and gives a handler
// for each of its commands in the registry (registry.ts); the compiler refuses a missing or an
// unknown one. Each bundle records what it registered, so the extension-host test can tell real
// handlers from the activation placeholders (remoteLoader.ts).
import * as vscode from 'vscode';
import { commandEntry, type CommandFeature, type CommandIdOf } from './registry';

export type CommandHandler = (...args: unknown[]) => unknown;

/**
 * Asked for the argument when a command with `pickProducer` runs from the palette with none:
 * a tree-shaped pick of hosts and producers (treePicker.ts). `undefined`: the user dismissed
 * it (the command does not run); `null`: nothing to pick (the command runs and asks itself).
 */
export type ArgumentPicker = (id: string) => Promise<unknown | null | undefined>;

const registered = new Set<string>();

/** The command ids whose real handler this bundle has registered (and not disposed). */
export function registeredCommands(): string[] {
  return [...registered];
}

export function registerCommands<F extends CommandFeature>(feature: F, handlers: Record<CommandIdOf<F>, CommandHandler>, pick?: ArgumentPicker): vscode.Disposable[] {
  return Object.entries<CommandHandler>(handlers).map(([id, handler]) => {
    const entry = commandEntry(id);
    if (entry?.feature !== feature) throw new Error(`${id} is not a command of the ${feature} feature in src/features/commands/registry.ts`);
    const run = entry.pickProducer && pick
      ? async (...args: unknown[]) => {
          if (args.length === 0 || args[0] === undefined) {
            const picked = await pick(id);
            if (picked === undefined) return undefined;
            if (picked !== null) return handler(picked, ...args.slice(1));
          }
          return handler(...args);
        }
      : handler;
    const disposable = vscode.commands.registerCommand(id, run);
    registered.add(id);
    return {
      dispose: () => {
        registered.delete(id);
        disposable.dispose();
      },
    };
  });
}
