// A FAKE DOM: the smallest stand-in for a webview page that media/logPane.js and
// media/queueHealth.js need, so their message handling, filtering and rendering can be tested in
// plain Node. No DOM package is installed (jsdom, happy-dom, linkedom); a real browser runs these
// scripts in the extension-host tests. It knows elements, text nodes, fragments, events,
// attributes and the few layout numbers the log pane reads; it has no layout and no HTML parser,
// and setting innerHTML throws (the scripts must only ever set text).
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';

type Listener = (ev: { type: string; data?: unknown }) => void;

class FakeEvents {
  private readonly listeners = new Map<string, Listener[]>();
  addEventListener(type: string, fn: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  /** Test helper: deliver an event to the listeners. */
  fire(type: string, data?: unknown): void {
    for (const fn of this.listeners.get(type) ?? []) fn({ type, data });
  }
}

export class FakeText {
  parent: FakeElement | undefined;
  constructor(public data: string) {}
  get textContent(): string {
    return this.data;
  }
}

export type FakeNode = FakeElement | FakeText;

export class FakeElement extends FakeEvents {
  children: FakeNode[] = [];
  parent: FakeElement | undefined;
  className = '';
  id = '';
  value = '';
  checked = false;
  clientHeight = 400;
  private scrolled = 0;
  readonly style: Record<string, string> = {};
  readonly attributes = new Map<string, string>();
  constructor(readonly tagName: string, readonly namespace?: string) {
    super();
  }

  readonly classList = {
    add: (c: string) => void (this.classList.contains(c) || (this.className = `${this.className} ${c}`.trim())),
    remove: (c: string) => void (this.className = this.className.split(/\s+/).filter((x) => x && x !== c).join(' ')),
    contains: (c: string) => this.className.split(/\s+/).includes(c),
  };

  /** As a browser does, scrolling stops at the end of the content. */
  get scrollTop(): number {
    return this.scrolled;
  }
  set scrollTop(v: number) {
    this.scrolled = Math.max(0, Math.min(v, this.scrollHeight - this.clientHeight));
  }

  /** The tallest child's style height (the log pane sizes a spacer), at least the element's own. */
  get scrollHeight(): number {
    return Math.max(this.clientHeight, parseFloat(this.children.map((c) => (c instanceof FakeElement ? c.style.height ?? '' : '')).find((h) => h) ?? '0'));
  }

  get textContent(): string {
    return this.children.map((c) => c.textContent).join('');
  }
  set textContent(text: string) {
    this.children = [];
    if (text !== '') this.appendChild(new FakeText(String(text)));
  }

  set innerHTML(_: string) {
    throw new Error('fake DOM: innerHTML was set; webview scripts must only set text');
  }

  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
    if (name === 'class') this.className = value;
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }

  appendChild<T extends FakeNode>(node: T): T {
    if (node instanceof FakeElement && node.tagName === '#fragment') {
      for (const c of node.children.splice(0)) this.appendChild(c);
      return node;
    }
    node.parent?.removeChild(node);
    node.parent = this;
    this.children.push(node);
    return node;
  }
  removeChild<T extends FakeNode>(node: T): T {
    this.children = this.children.filter((c) => c !== node);
    node.parent = undefined;
    return node;
  }
  replaceChildren(...nodes: FakeNode[]): void {
    for (const c of this.children) c.parent = undefined;
    this.children = [];
    for (const n of nodes) this.appendChild(n);
  }

  getBoundingClientRect(): { height: number; width: number } {
    return { height: 0, width: 0 }; // no layout: the scripts fall back to their default row height
  }

  /** Every element below this one, depth first. */
  descendants(): FakeElement[] {
    return this.children.flatMap((c) => (c instanceof FakeElement ? [c, ...c.descendants()] : []));
  }
}

export class FakeDocument {
  readonly body = new FakeElement('body');
  createElement(tag: string): FakeElement {
    return new FakeElement(tag);
  }
  createElementNS(ns: string, tag: string): FakeElement {
    return new FakeElement(tag, ns);
  }
  createTextNode(text: string): FakeText {
    return new FakeText(String(text));
  }
  createDocumentFragment(): FakeElement {
    return new FakeElement('#fragment');
  }
  getElementById(id: string): FakeElement | null {
    return this.body.descendants().find((e) => e.id === id) ?? null;
  }
}

/**
 * Builds the body from a page's real markup (src/features/logs/webviewBodies.ts): every element
 * with an id, nested as written, inputs with `checked` checked. Enough for scripts that look
 * their elements up by id; the rest of the markup is not modelled.
 */
export function documentFromMarkup(markup: string): FakeDocument {
  const doc = new FakeDocument();
  const stack: FakeElement[] = [doc.body];
  const VOID = new Set(['input', 'br', 'img', 'meta', 'link']);
  for (const m of markup.matchAll(/<(\/?)([a-zA-Z0-9]+)([^>]*)>/g)) {
    const [, closing, tag, attrs] = m;
    if (closing) {
      const i = stack.map((e) => e.tagName).lastIndexOf(tag);
      if (i > 0) stack.length = i;
      continue;
    }
    const el = doc.createElement(tag);
    el.id = /\bid="([^"]*)"/.exec(attrs)?.[1] ?? '';
    el.checked = /\schecked\b/.test(attrs);
    stack[stack.length - 1].appendChild(el);
    if (!VOID.has(tag)) stack.push(el);
  }
  return doc;
}

export interface LoadedScript {
  document: FakeDocument;
  /** Messages the script posted to the extension (vscode.postMessage). */
  posted: unknown[];
  /** The webview state the script saved (vscode.setState). */
  state: () => unknown;
  /** Deliver a message from the extension (window 'message' event). */
  receive(message: unknown): void;
  /** Run the animation frames and timers the script queued, as the page would. */
  flush(): void;
}

/** Runs media/<script> against `document` in its own context, as the webview would. */
export function loadMediaScript(script: string, document: FakeDocument, initialState?: unknown): LoadedScript {
  const code = fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'media', script), 'utf8');
  const windowEvents = new FakeEvents();
  const posted: unknown[] = [];
  let state = initialState;
  let frames: (() => void)[] = [];
  const timers = new Map<number, () => void>();
  let nextTimer = 1;
  vm.runInNewContext(code, {
    document,
    window: windowEvents,
    console,
    // Messages cross as structured clones: plain data of this realm.
    acquireVsCodeApi: () => ({ postMessage: (m: unknown) => posted.push(JSON.parse(JSON.stringify(m))), getState: () => state, setState: (s: unknown) => (state = JSON.parse(JSON.stringify(s))) }),
    requestAnimationFrame: (fn: () => void) => frames.push(fn),
    setTimeout: (fn: () => void) => (timers.set(nextTimer, fn), nextTimer++),
    clearTimeout: (id: number) => timers.delete(id),
  }, { filename: script });
  return {
    document,
    posted,
    state: () => state,
    receive: (message) => windowEvents.fire('message', JSON.parse(JSON.stringify(message))),
    flush: () => {
      for (let i = 0; i < 10 && (frames.length || timers.size); i++) {
        const run = [...timers.values(), ...frames.splice(0)];
        timers.clear();
        run.forEach((fn) => fn());
      }
    },
  };
}
