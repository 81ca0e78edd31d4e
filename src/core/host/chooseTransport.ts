// Which transport a host uses. `ssh` and `local` are the user's explicit choice; `auto` picks
// local only when everything says the extension already runs on that Docker host: the compose
// file is here, the Docker socket answers, and either the configured host resolves to this
// machine or VS Code runs us on an SSH remote (Remote-SSH on azar2). Anything less stays on SSH,
// which works from anywhere. Pure: the facts are gathered by the caller.
import type { TransportKind } from './host';

export type TransportSetting = 'auto' | 'ssh' | 'local';

export interface TransportFacts {
  setting: TransportSetting;
  /** vscode.env.remoteName ('ssh-remote' under Remote-SSH; undefined for a local window). */
  remoteName?: string;
  composeFileExists: boolean;
  dockerSocketAnswers: boolean;
  /** The configured host's address is one of this machine's (or its host name). */
  hostIsThisMachine: boolean;
}

export interface TransportChoice {
  kind: TransportKind;
  /** One sentence for the log and the status bar tooltip. */
  reason: string;
}

export function parseTransportSetting(v: unknown): TransportSetting {
  return v === 'ssh' || v === 'local' ? v : 'auto';
}

export function chooseTransport(f: TransportFacts): TransportChoice {
  if (f.setting === 'ssh') return { kind: 'ssh', reason: 'efdSalkafka.transport is "ssh"' };
  if (f.setting === 'local') return { kind: 'local', reason: 'efdSalkafka.transport is "local"' };
  const missing: string[] = [];
  if (!f.composeFileExists) missing.push('the compose file is not on this machine');
  if (!f.dockerSocketAnswers) missing.push('no Docker socket answers here');
  const here = f.hostIsThisMachine || f.remoteName === 'ssh-remote';
  if (!here) missing.push('the host is not this machine');
  if (missing.length) return { kind: 'ssh', reason: `auto: SSH, because ${missing.join(', ')}` };
  const why = f.hostIsThisMachine ? 'the host is this machine' : 'VS Code runs the extension on the SSH remote';
  return { kind: 'local', reason: `auto: local, because ${why}, the compose file is here and Docker answers` };
}
