// Authentication in OpenSSH's order: ssh-agent, then identity files (asking for passphrases of
// encrypted keys), then keyboard-interactive. Implemented as an ssh2 authHandler so every step
// can be asynchronous (prompts) and we can say afterwards exactly what was tried.
import * as fs from 'node:fs';
import { OpenSSHAgent, utils } from 'ssh2';
import type { AuthHandlerMiddleware, AuthenticationType, KeyboardInteractiveCallback, ParsedKey, Prompt } from 'ssh2';

export interface KeyboardInteractivePrompt {
  prompt: string;
  echo: boolean;
}

export interface AuthCallbacks {
  /** Passphrase for an encrypted key; undefined skips the key. */
  askPassphrase?(keyPath: string, retry: boolean): Promise<string | undefined>;
  /** Answers for keyboard-interactive prompts (e.g. password, OTP); undefined cancels. */
  askKeyboardInteractive?(
    prompts: KeyboardInteractivePrompt[],
    info: { name: string; instructions: string; user: string; host: string },
  ): Promise<string[] | undefined>;
  log?(line: string): void;
}

export interface AuthTarget {
  host: string;
  user: string;
  identityFiles: string[];
  identitiesOnly: boolean;
  agentSocket?: string;
}

/** Decrypted keys survive reconnects so a dropped link does not prompt again. */
export type KeyCache = Map<string, ParsedKey>;

/** An agent that only offers the keys whose .pub sits next to a configured IdentityFile. */
class FilteredAgent extends OpenSSHAgent {
  constructor(socket: string, private readonly allowed: Buffer[]) {
    super(socket);
  }
  override getIdentities(cb: Parameters<OpenSSHAgent['getIdentities']>[0]): void {
    super.getIdentities((err, keys) => {
      if (err || !keys) return cb(err, keys);
      const blobOf = (k: unknown): Buffer | undefined => (k as ParsedKey).getPublicSSH?.();
      cb(err, keys.filter((k) => this.allowed.some((a) => { const b = blobOf(k); return !!b && a.equals(b); })));
    });
  }
}

function readPublicBlob(identityFile: string): Buffer | undefined {
  try {
    const parsed = utils.parseKey(fs.readFileSync(`${identityFile}.pub`));
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    return key instanceof Error ? undefined : key.getPublicSSH();
  } catch {
    return undefined;
  }
}

function isEncryptedKeyError(err: Error): boolean {
  return /passphrase/i.test(err.message);
}

/** Builds the handler and a record of what was attempted (for the failure message). */
export function makeAuthHandler(
  target: AuthTarget,
  callbacks: AuthCallbacks,
  keyCache: KeyCache,
): { handler: AuthHandlerMiddleware; tried: string[] } {
  const tried: string[] = [];
  const log = callbacks.log ?? (() => undefined);
  type Step = () => Promise<Parameters<Parameters<AuthHandlerMiddleware>[2]>[0] | undefined>;
  const steps: Step[] = [];

  if (target.agentSocket && fs.existsSync(target.agentSocket)) {
    const socket = target.agentSocket;
    steps.push(async () => {
      tried.push(`ssh-agent (${socket})`);
      const agent = target.identitiesOnly
        ? new FilteredAgent(socket, target.identityFiles.map(readPublicBlob).filter((b): b is Buffer => !!b))
        : socket;
      return { type: 'agent', username: target.user, agent } as never;
    });
  }

  for (const file of target.identityFiles) {
    steps.push(async () => {
      let data: Buffer;
      try {
        data = fs.readFileSync(file);
      } catch {
        return undefined; // default identity names that do not exist are silently skipped, like ssh
      }
      let key = keyCache.get(file);
      if (!key) {
        let parsed = utils.parseKey(data);
        let retry = false;
        for (let attempt = 0; parsed instanceof Error && isEncryptedKeyError(parsed) && attempt < 3; attempt++) {
          if (!callbacks.askPassphrase) {
            log(`skipping encrypted key ${file}: no way to ask for its passphrase`);
            return undefined;
          }
          const pass = await callbacks.askPassphrase(file, retry);
          if (pass === undefined) {
            log(`skipping ${file}: passphrase not given`);
            return undefined;
          }
          parsed = utils.parseKey(data, pass);
          retry = true;
        }
        if (parsed instanceof Error) {
          log(`skipping ${file}: ${parsed.message}`);
          tried.push(`${file} (unusable: ${parsed.message})`);
          return undefined;
        }
        key = Array.isArray(parsed) ? parsed[0] : parsed;
        keyCache.set(file, key!);
      }
      tried.push(file);
      return { type: 'publickey', username: target.user, key: key! } as never;
    });
  }

  if (callbacks.askKeyboardInteractive) {
    const ask = callbacks.askKeyboardInteractive;
    steps.push(async () => {
      tried.push('keyboard-interactive');
      return {
        type: 'keyboard-interactive',
        username: target.user,
        prompt: (name: string, instructions: string, _lang: string, prompts: Prompt[], finish: KeyboardInteractiveCallback) => {
          ask(
            prompts.map((p) => ({ prompt: p.prompt, echo: p.echo === true })),
            { name, instructions, user: target.user, host: target.host },
          ).then(
            (answers) => finish(answers ?? []),
            () => finish([]),
          );
        },
      } as never;
    });
  }

  let index = 0;
  const handler: AuthHandlerMiddleware = (methodsLeft: AuthenticationType[] | null, _partial, next) => {
    const run = async (): Promise<void> => {
      while (index < steps.length) {
        const step = steps[index++];
        const method = await step();
        if (!method) continue;
        const type = (method as { type: AuthenticationType }).type;
        const serverType = type === 'agent' ? 'publickey' : type;
        if (methodsLeft && !methodsLeft.includes(serverType)) {
          log(`server does not accept ${serverType}; skipping`);
          continue;
        }
        next(method);
        return;
      }
      next(false as never);
    };
    run().catch((err) => {
      log(`authentication step failed: ${(err as Error).message}`);
      next(false as never);
    });
  };
  return { handler: handler as AuthHandlerMiddleware, tried };
}
