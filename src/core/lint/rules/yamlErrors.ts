import { diagnostic } from '../diagnostic';
import type { Rule } from '../ruleContext';

/** YAML syntax errors and duplicate keys, at the exact position the parser reports. */
export const yamlErrors: Rule = ({ model, report }) => {
  const { text } = model;
  for (const err of model.doc.errors) {
    const [start, rawEnd] = err.pos;
    const end = rawEnd > start ? rawEnd : Math.min(text.length, start + 1);
    if (err.code === 'DUPLICATE_KEY') continue; // reported with context below
    report(diagnostic('yaml-syntax', { start, end }, `YAML syntax error: ${firstLine(err.message)}`));
  }
  for (const w of model.doc.warnings) {
    const [start, end] = w.pos;
    report(diagnostic('yaml-warning', { start, end: end > start ? end : start + 1 }, firstLine(w.message)));
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
        { start, end: start + Math.max(1, key.length) },
        `Key "${key}" is written twice in the same mapping; only one value is used.`,
      ),
    );
  }
};

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
