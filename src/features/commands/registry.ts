// Every command of the extension, as data: where its handler is registered, which rows of the
// producers view offer it, and what the palette asks for when it is run with no argument.
// No vscode import: the plain-Node unit test (test/unit/commands/registry.test.ts) checks
// package.json contributes.commands and menus against this table, both ways.
import type { TreeContext } from './commandArg';

/**
 * Which bundle registers the handler: 'activation' (dist/extension.js, at activation) or
 * 'remote' (dist/remote.js, loaded on first use; until then remoteLoader.ts holds a placeholder
 * under the same id that loads the remote half and replays the call).
 */
export type CommandHome = 'activation' | 'remote';

/**
 * The feature whose activate function registers the handler (registerCommands(feature, …)).
 * 'language' is the activation half's (src/features/language); the others are the remote half's.
 */
export type CommandFeature = 'language' | 'connection' | 'tree' | 'logs' | 'ops' | 'remoteFs' | 'walkthrough';

export interface CommandEntry {
  home: CommandHome;
  feature: CommandFeature;
  /** Rows of the producers view whose context menu (or inline buttons) offer the command. */
  tree: readonly TreeContext[];
  /** Offered in the producers view's title bar. */
  viewTitle?: boolean;
  /**
   * Run from the palette with no argument, the command first shows the producers as the tree
   * does (hosts, then their producers of the `tree` contexts) and runs on the one picked.
   */
  pickProducer?: boolean;
}

const producerRows = ['producer', 'producer.running'] as const;

export const COMMANDS = {
  'efdSalkafka.connect': { home: 'remote', feature: 'connection', tree: ['host'] },
  'efdSalkafka.disconnect': { home: 'remote', feature: 'connection', tree: ['host.connected'] },
  'efdSalkafka.refresh': { home: 'remote', feature: 'tree', tree: ['host.connected'], viewTitle: true },
  'efdSalkafka.showLogs': { home: 'remote', feature: 'logs', tree: producerRows, pickProducer: true },
  'efdSalkafka.showMergedLogs': { home: 'remote', feature: 'logs', tree: [] },
  'efdSalkafka.showQueueHealth': { home: 'remote', feature: 'logs', tree: producerRows, pickProducer: true },
  'efdSalkafka.openRemoteCompose': { home: 'remote', feature: 'remoteFs', tree: ['host.connected'] },
  'efdSalkafka.addCsc': { home: 'remote', feature: 'ops', tree: producerRows, pickProducer: true },
  'efdSalkafka.removeCsc': { home: 'remote', feature: 'ops', tree: [...producerRows, 'csc'], pickProducer: true },
  'efdSalkafka.applyProducer': { home: 'remote', feature: 'ops', tree: producerRows, pickProducer: true },
  'efdSalkafka.restartProducer': { home: 'remote', feature: 'ops', tree: ['producer.running'], pickProducer: true },
  'efdSalkafka.stopProducer': { home: 'remote', feature: 'ops', tree: ['producer.running'], pickProducer: true },
  'efdSalkafka.startProducer': { home: 'remote', feature: 'ops', tree: ['producer'], pickProducer: true },
  'efdSalkafka.rollback': { home: 'remote', feature: 'ops', tree: ['host.connected'], viewTitle: true },
  'efdSalkafka.verifyProducer': { home: 'remote', feature: 'ops', tree: producerRows, pickProducer: true },
  'efdSalkafka.troubleshoot': { home: 'remote', feature: 'ops', tree: producerRows, pickProducer: true },
  'efdSalkafka.hotAddCsc': { home: 'remote', feature: 'ops', tree: ['producer.running'] },
  'efdSalkafka.announce': { home: 'remote', feature: 'ops', tree: [], viewTitle: true },
  'efdSalkafka.newDevProducer': { home: 'remote', feature: 'ops', tree: ['host.connected'], viewTitle: true },
  'efdSalkafka.takeDownDevProducer': { home: 'remote', feature: 'ops', tree: producerRows },
  'efdSalkafka.showAuditLog': { home: 'remote', feature: 'ops', tree: ['host.connected'], viewTitle: true },
  'efdSalkafka.pickHost': { home: 'remote', feature: 'walkthrough', tree: [] },
  'efdSalkafka.checkDockerAccess': { home: 'remote', feature: 'walkthrough', tree: [] },
  'efdSalkafka.checkValuesAgainstCycle': { home: 'remote', feature: 'ops', tree: [] },
  'efdSalkafka.upgradeCycle': { home: 'remote', feature: 'ops', tree: ['host.connected', ...producerRows] },
} as const satisfies Record<string, CommandEntry>;

export type CommandId = keyof typeof COMMANDS;

/** The commands one feature registers: registerCommands(feature, handlers) must name exactly these. */
export type CommandIdOf<F extends CommandFeature> = { [K in CommandId]: (typeof COMMANDS)[K]['feature'] extends F ? K : never }[CommandId];

export const COMMAND_IDS = Object.keys(COMMANDS) as CommandId[];

export function commandEntry(id: string): CommandEntry | undefined {
  return (COMMANDS as Record<string, CommandEntry>)[id];
}
