import * as vscode from 'vscode';
import { complete } from '../../core/language/completion';
import { hover } from '../../core/language/hover';
import { documentSymbols, SymbolNode } from '../../core/language/symbols';
import { completeValues, hoverValues, valuesSymbols } from '../../core/values/language';
import type { ComposeDocuments } from './composeDocuments';
import { toRange, toWorkspaceEdit } from './convert';

const COMPLETION_KIND = { csc: vscode.CompletionItemKind.Module, envKey: vscode.CompletionItemKind.Property, value: vscode.CompletionItemKind.Value };
const SYMBOL_KIND = { producer: vscode.SymbolKind.Class, service: vscode.SymbolKind.Object, csc: vscode.SymbolKind.Field };

/** Completion, hover, quick fixes and outline: thin translations of src/core/language. */
export function registerEditorFeatures(docs: ComposeDocuments): vscode.Disposable {
  const selector = docs.selector();
  return vscode.Disposable.from(
    vscode.languages.registerCompletionItemProvider(
      selector,
      {
        async provideCompletionItems(doc, position) {
          const a = await docs.analyze(doc);
          const offset = doc.offsetAt(position);
          const items = a.values ? completeValues(a.values, offset, a.catalogue) : complete(a.model, offset, a.catalogue, { imageCatalogue: a.imageCatalogue });
          return items.map((c) => {
            const item = new vscode.CompletionItem(c.label, COMPLETION_KIND[c.kind]);
            item.detail = c.detail;
            item.documentation = c.documentation ? new vscode.MarkdownString(c.documentation) : undefined;
            item.insertText = c.insertText;
            item.range = toRange(doc, c.range);
            item.sortText = c.sortText;
            return item;
          });
        },
      },
      ' ',
      '=',
    ),
    vscode.languages.registerHoverProvider(selector, {
      async provideHover(doc, position) {
        const a = await docs.analyze(doc);
        const offset = doc.offsetAt(position);
        const h = a.values ? hoverValues(a.values, offset, a.catalogue) : hover(a.model, offset, a.catalogue, { imageCatalogue: a.imageCatalogue, env: a.env });
        return h && new vscode.Hover(new vscode.MarkdownString(h.markdown), toRange(doc, h.range));
      },
    }),
    vscode.languages.registerCodeActionsProvider(
      selector,
      {
        async provideCodeActions(doc, range, context) {
          const a = await docs.analyze(doc);
          const actions: vscode.CodeAction[] = [];
          for (const d of a.diagnostics) {
            if (!d.fixes?.length) continue;
            const r = toRange(doc, d.range);
            if (!r.intersection(range)) continue;
            const shown = context.diagnostics.find((v) => v.code === d.code && v.range.isEqual(r));
            for (const fix of d.fixes) {
              const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
              action.edit = toWorkspaceEdit(doc, fix);
              action.isPreferred = fix.preferred;
              if (shown) action.diagnostics = [shown];
              actions.push(action);
            }
          }
          return actions;
        },
      },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
    vscode.languages.registerDocumentSymbolProvider(selector, {
      async provideDocumentSymbols(doc) {
        const a = await docs.analyze(doc);
        const convert = (s: SymbolNode): vscode.DocumentSymbol => {
          const range = toRange(doc, s.range);
          const selection = toRange(doc, s.selectionRange);
          const symbol = new vscode.DocumentSymbol(s.name, s.detail, SYMBOL_KIND[s.kind], range.union(selection), selection);
          symbol.children = s.children.map(convert);
          return symbol;
        };
        return (a.values ? valuesSymbols(a.values) : documentSymbols(a.model)).map(convert);
      },
    }),
  );
}
