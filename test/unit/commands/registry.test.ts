// package.json contributes.commands and menus against the command registry, both ways: a
// command contributed without a registry entry (so without a handler the compiler demands), or
// an entry no user can find, fails here. Plain Node: the registry has no vscode import.
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import type { TreeContext } from '../../../src/features/commands/commandArg';
import { COMMAND_IDS, COMMANDS, commandEntry } from '../../../src/features/commands/registry';

interface MenuItem { command: string; when?: string; group?: string }
const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string; title: string }[]; menus: Record<string, MenuItem[]> };
};
const ROWS: readonly TreeContext[] = ['host', 'host.connected', 'producer', 'producer.running', 'csc', 'topic'];

/** The tree rows a menu item's `when` clause matches (viewItem == x, viewItem =~ /re/). */
function rowsOf(when: string): TreeContext[] {
  const eq = /viewItem == ([\w.]+)/.exec(when);
  if (eq) return ROWS.filter((r) => r === eq[1]);
  const re = /viewItem =~ \/(.+?)\//.exec(when);
  if (re) return ROWS.filter((r) => new RegExp(re[1]).test(r));
  return [];
}

describe('command registry and package.json', () => {
  const contributed = pkg.contributes.commands.map((c) => c.command);

  it('every contributed command has a registry entry, and every entry is contributed', () => {
    assert.deepEqual(contributed.filter((id) => !commandEntry(id)), [], 'contributed in package.json but not in src/features/commands/registry.ts');
    assert.deepEqual(COMMAND_IDS.filter((id) => !contributed.includes(id)), [], 'in the registry but not contributed in package.json');
    assert.equal(new Set(contributed).size, contributed.length, 'a command contributed twice');
  });

  it('every menu item names a registered command', () => {
    for (const [menu, items] of Object.entries(pkg.contributes.menus)) {
      for (const item of items) assert.ok(commandEntry(item.command), `${menu}: ${item.command} is not in the registry`);
    }
  });

  it("each command's tree rows in the registry are exactly the rows whose context menu offers it", () => {
    const fromMenus = new Map<string, Set<TreeContext>>();
    for (const item of pkg.contributes.menus['view/item/context'] ?? []) {
      assert.match(item.when ?? '', /view == efdSalkafka\.producers/, `${item.command}: a row menu item outside the producers view`);
      const rows = rowsOf(item.when ?? '');
      assert.ok(rows.length > 0, `${item.command}: "${item.when}" matches no row of the producers view`);
      const set = fromMenus.get(item.command) ?? new Set();
      rows.forEach((r) => set.add(r));
      fromMenus.set(item.command, set);
    }
    for (const id of COMMAND_IDS) {
      const declared = [...COMMANDS[id].tree].sort();
      const offered = [...(fromMenus.get(id) ?? [])].sort();
      assert.deepEqual(offered, declared, `${id}: package.json menus offer it on [${offered}], the registry says [${declared}]`);
    }
  });

  it('the view title bar offers exactly the commands the registry marks viewTitle', () => {
    const offered = (pkg.contributes.menus['view/title'] ?? []).filter((i) => /view == efdSalkafka\.producers/.test(i.when ?? '')).map((i) => i.command).sort();
    const declared = COMMAND_IDS.filter((id) => (COMMANDS[id] as { viewTitle?: boolean }).viewTitle).sort();
    assert.deepEqual(offered, declared);
  });

  it('a palette pick of a producer is offered only for commands that act on producer rows', () => {
    for (const id of COMMAND_IDS) {
      const e = commandEntry(id)!;
      if (e.pickProducer) assert.ok(e.tree.some((r) => r.startsWith('producer')), `${id} picks a producer but no producer row offers it`);
    }
  });

  it('every handler is registered in one place: src/features/<feature>/ names its commands through registerCommands', () => {
    // The compiler holds each registerCommands(feature, {…}) call to exactly that feature's ids;
    // this holds each feature to making the call at all.
    const src = join(__dirname, '..', '..', '..', '..', 'src', 'features');
    const calls: Record<string, string> = {
      connection: 'connection/index.ts',
      tree: 'tree/index.ts',
      logs: 'logs/index.ts',
      ops: 'commands/index.ts',
      remoteFs: 'remoteFs/index.ts',
      walkthrough: 'walkthrough/index.ts',
    };
    for (const feature of new Set(COMMAND_IDS.map((id) => COMMANDS[id].feature))) {
      const file = calls[feature];
      assert.ok(file, `no file known for feature ${feature}`);
      const text = readFileSync(join(src, file), 'utf8');
      assert.match(text, new RegExp(`registerCommands\\('${feature}'`), `${file} does not register the ${feature} commands`);
      for (const id of COMMAND_IDS.filter((i) => COMMANDS[i].feature === feature)) assert.ok(text.includes(`'${id}'`), `${file} has no handler for ${id}`);
    }
    // And nobody registers a command id behind the registry's back.
    for (const file of ['connection/index.ts', 'tree/index.ts', 'logs/index.ts', 'remoteFs/index.ts', 'walkthrough/index.ts', 'commands/index.ts']) {
      assert.doesNotMatch(readFileSync(join(src, file), 'utf8'), /vscode\.commands\.registerCommand\(/, `${file} registers a command directly`);
    }
  });
});
