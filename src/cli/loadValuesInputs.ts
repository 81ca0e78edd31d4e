import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { valuesEnvironment } from '../core/values/valuesPath';
import type { ValuesInput } from '../core/values/parseValues';

/**
 * A values-<env>.yaml is deployed merged over the chart's values.yaml of the same directory
 * (argocd-csc's Application passes both): read it when it is there.
 */
export function valuesInputs(path: string, text: string): ValuesInput {
  if (valuesEnvironment(path) === undefined) return { text };
  for (const name of ['values.yaml', 'values.yml']) {
    const candidate = join(dirname(resolve(path)), name);
    try {
      return { text, base: { text: stripBom(readFileSync(candidate, 'utf8')), path: name } };
    } catch {
      // not there: try the other spelling, else check the file by itself
    }
  }
  return { text };
}


function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
