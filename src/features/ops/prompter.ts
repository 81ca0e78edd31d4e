// Every question the change commands ask goes through a Prompter, so confirmations can be
// answered programmatically by the extension-host tests (see OpsApi.setPrompter in index.ts).
// The real implementation is VS Code's modal / input box / quick pick.
import * as vscode from 'vscode';

export interface ModalRequest {
  message: string;
  detail: string;
  /** Buttons, first = the default action shown first. Cancel is always added by VS Code. */
  choices: string[];
  /** Warning (default) or information styling. */
  severity?: 'warning' | 'info';
}

export interface InputRequest {
  title: string;
  prompt: string;
  placeHolder?: string;
  value?: string;
  /** Return an error message for invalid input, undefined when acceptable. */
  validate?(value: string): string | undefined;
}

export interface PickRequest<T extends vscode.QuickPickItem> {
  title: string;
  placeHolder: string;
  items: T[];
}

export interface Prompter {
  /** A modal; resolves to the chosen button's text, or undefined for Cancel / Escape. */
  modal(req: ModalRequest): Promise<string | undefined>;
  /** An input box; undefined when dismissed. The value always passed validate(). */
  input(req: InputRequest): Promise<string | undefined>;
  /** A quick pick of one item; undefined when dismissed. */
  pick<T extends vscode.QuickPickItem>(req: PickRequest<T>): Promise<T | undefined>;
}

export class VsCodePrompter implements Prompter {
  async modal(req: ModalRequest): Promise<string | undefined> {
    const show = req.severity === 'info' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    return show(req.message, { modal: true, detail: req.detail }, ...req.choices);
  }

  async input(req: InputRequest): Promise<string | undefined> {
    return vscode.window.showInputBox({
      title: req.title,
      prompt: req.prompt,
      placeHolder: req.placeHolder,
      value: req.value,
      ignoreFocusOut: true,
      validateInput: req.validate ? (v) => req.validate!(v) : undefined,
    });
  }

  async pick<T extends vscode.QuickPickItem>(req: PickRequest<T>): Promise<T | undefined> {
    return vscode.window.showQuickPick(req.items, { title: req.title, placeHolder: req.placeHolder, matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true });
  }
}

/**
 * A Prompter that answers from a script, for tests: each call takes the next answer of its
 * kind; an unexpected question fails loudly instead of hanging on a modal nobody can click.
 */
export class ScriptedPrompter implements Prompter {
  readonly asked: { kind: 'modal' | 'input' | 'pick'; text: string }[] = [];
  constructor(
    private readonly answers: {
      modal?: (string | undefined)[];
      input?: (string | undefined)[];
      /** Label (exact) of the item to pick, or undefined to dismiss. */
      pick?: (string | undefined)[];
    },
  ) {}

  async modal(req: ModalRequest): Promise<string | undefined> {
    this.asked.push({ kind: 'modal', text: `${req.message}\n${req.detail}` });
    if (!this.answers.modal?.length) throw new Error(`unexpected modal: ${req.message}`);
    const a = this.answers.modal.shift();
    if (a !== undefined && !req.choices.includes(a)) throw new Error(`answer "${a}" is not one of ${req.choices.join(', ')} for: ${req.message}`);
    return a;
  }

  async input(req: InputRequest): Promise<string | undefined> {
    this.asked.push({ kind: 'input', text: req.prompt });
    if (!this.answers.input?.length) throw new Error(`unexpected input box: ${req.prompt}`);
    const a = this.answers.input.shift();
    if (a !== undefined && req.validate?.(a)) throw new Error(`input "${a}" rejected: ${req.validate(a)}`);
    return a;
  }

  async pick<T extends vscode.QuickPickItem>(req: PickRequest<T>): Promise<T | undefined> {
    this.asked.push({ kind: 'pick', text: req.placeHolder });
    if (!this.answers.pick?.length) throw new Error(`unexpected quick pick: ${req.placeHolder}`);
    const a = this.answers.pick.shift();
    if (a === undefined) return undefined;
    const item = req.items.find((i) => i.label === a);
    if (!item) throw new Error(`no item "${a}" in: ${req.items.map((i) => i.label).join(', ')}`);
    return item;
  }
}
