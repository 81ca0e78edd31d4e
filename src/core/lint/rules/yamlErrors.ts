import { diagnostic } from '../diagnostic';
import type { Rule } from '../ruleContext';

/** YAML syntax errors and duplicate keys, at the exact position the parser reports. */
export const yamlErrors: Rule = ({ model, report }) => {
  const { text } = model;
  for (const err of model.doc.errors) {
    if (err.code === 'DUPLICATE_KEY') continue; // reported with context below
    report(diagnostic('yaml-syntax', atLeastOneChar(text, err.pos), `YAML syntax error: ${firstLine(err.message)}`));
  }
  for (const w of model.doc.warnings) {
    report(diagnostic('yaml-warning', atLeastOneChar(text, w.pos), firstLine(w.message)));
  }
  for (const dropped of model.shadowedServices) {
    report(
      diagnostic(
        'duplicate-key',
        dropped.nameRange,
        `Service "${dropped.name}" is defined twice. docker-compose keeps only the later definition, so this ` +
          `${dropped.isProducer ? 'producer' : 'service'} is silently dropped.`,
      ),
    );
  }
  // Other duplicate keys (inside a service, environment map, top level…).
  const serviceKeys = new Set(model.shadowedServices.map((s) => s.nameRange.start));
  const services = new Set(model.services.map((s) => s.nameRange.start));
  for (const err of model.doc.errors) {
    if (err.code !== 'DUPLICATE_KEY') continue;
    const [start] = err.pos;
    if (serviceKeys.has(start) || services.has(start)) continue;
    const key = /^[^:\s]+/.exec(text.slice(start, start + 200))?.[0] ?? '';
    report(
      diagnostic(
        'duplicate-key',
        atLeastOneChar(text, [start, start + key.length]),
        `Key "${key}" is written twice in the same mapping; only one value is used.`,
      ),
    );
  }
};

/**
 * The parser's [start, end] widened to one character when empty, and kept inside the text:
 * for a missing closing quote or bracket at the end of the file the parser points one past
 * it, so the last character is underlined instead.
 */
function atLeastOneChar(text: string, [rawStart, rawEnd]: [number, number]): { start: number; end: number } {
  const start = Math.max(0, Math.min(rawStart, text.length - 1));
  const end = Math.min(Math.max(rawEnd, start + 1), text.length);
  return { start, end };
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
