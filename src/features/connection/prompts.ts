// The human side of connecting: host key confirmation, key passphrases (optionally remembered in
// SecretStorage) and keyboard-interactive prompts. Everything else lives in src/core/ssh.
import * as vscode from 'vscode';
import type { KeyboardInteractivePrompt } from '../../core/ssh/auth';
import type { UnknownHostDecision, UnknownHostInfo } from '../../core/ssh/hostVerifier';

export const ACCEPT_ONCE = 'Accept Once';
export const ACCEPT_AND_SAVE = 'Accept and Save';

export async function askUnknownHost(info: UnknownHostInfo): Promise<UnknownHostDecision> {
  const hostLabel = info.port === 22 ? info.host : `[${info.host}]:${info.port}`;
  const choice = await vscode.window.showWarningMessage(
    `The authenticity of host ${hostLabel} can't be established.`,
    {
      modal: true,
      detail:
        `${info.keyType} key fingerprint is ${info.fingerprint}.\n\n` +
        `Compare it with the fingerprint published by the host's administrators (ssh-keygen -lf on the host).` +
        `\n"Accept and Save" adds the key to ${info.knownHostsFile}.`,
    },
    ACCEPT_ONCE,
    ACCEPT_AND_SAVE,
  );
  if (choice === ACCEPT_AND_SAVE) return 'always';
  if (choice === ACCEPT_ONCE) return 'once';
  return 'reject';
}

const secretKey = (keyPath: string): string => `efdSalkafka.passphrase:${keyPath}`;

export function makePassphrasePrompt(secrets: vscode.SecretStorage, remember: () => boolean) {
  return async (keyPath: string, retry: boolean): Promise<string | undefined> => {
    if (retry) {
      await secrets.delete(secretKey(keyPath)); // a stored passphrase that failed is useless
    } else if (remember()) {
      const stored = await secrets.get(secretKey(keyPath));
      if (stored !== undefined) return stored;
    }
    const value = await vscode.window.showInputBox({
      title: 'SSH key passphrase',
      prompt: retry ? `Wrong passphrase; try again for ${keyPath}` : `Passphrase for ${keyPath}`,
      password: true,
      ignoreFocusOut: true,
    });
    if (value !== undefined && remember()) await secrets.store(secretKey(keyPath), value);
    return value;
  };
}

export async function askKeyboardInteractive(
  prompts: KeyboardInteractivePrompt[],
  info: { name: string; instructions: string; user: string; host: string },
): Promise<string[] | undefined> {
  const answers: string[] = [];
  for (const p of prompts) {
    const value = await vscode.window.showInputBox({
      title: `${info.user}@${info.host}${info.name ? `: ${info.name}` : ''}`,
      prompt: [info.instructions, p.prompt].filter(Boolean).join(' — '),
      password: !p.echo,
      ignoreFocusOut: true,
    });
    if (value === undefined) return undefined;
    answers.push(value);
  }
  return answers;
}
