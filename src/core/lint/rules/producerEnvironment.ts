import type { EnvEntry, ServiceModel } from '../../compose/model';
import { diagnosticsOf, type CodeTable, } from '../diagnostic';
import { declareRule, type Rule, type RuleContext } from '../ruleContext';

/** The codes this rule reports (severity and summary; the README table shows them). */
export const CODES = {
  'env-missing': { severity: 'error', summary: 'A variable run_salkafka_producer.py needs is missing from the producer environment.' },
  'env-duplicate': { severity: 'warning', summary: 'The same environment key is set twice; the last one wins.' },
  'broker-port-invalid': { severity: 'error', summary: 'BROKER_PORT must be a port number 1–65535.' },
  'broker-ip-invalid': { severity: 'error', summary: 'BROKER_IP must be a host name or IP address.' },
  'registry-url-invalid': { severity: 'error', summary: 'REGISTRY_ADDR must be a URL with a scheme (http:// or https://).' },
  'partitions-invalid': { severity: 'error', summary: 'PARTITIONS must be a positive integer.' },
  'replication-invalid': { severity: 'error', summary: 'REPLICATION must be a positive integer.' },
  'log-level-invalid': { severity: 'error', summary: 'LOG_LEVEL must be an integer Python logging level.' },
  'log-level-nonstandard': { severity: 'info', summary: 'LOG_LEVEL is an integer but not a standard level (10, 20, 30, 40, 50).' },
  'wait-ack-invalid': { severity: 'error', summary: 'WAIT_ACK must be 0, 1 or all.' },
} as const satisfies CodeTable;
const diagnostic = diagnosticsOf(CODES);

/** Variables run_salkafka_producer.py's command line is built from; without them it cannot start. */
export const REQUIRED_PRODUCER_ENV = ['BROKER_IP', 'BROKER_PORT', 'REGISTRY_ADDR', 'CSC_LIST'] as const;

const STANDARD_LOG_LEVELS = new Set([10, 20, 30, 40, 50]);

/** The producer environment: required keys present, values of the right shape. */
export const producerEnvironment: Rule = (ctx) => {
  for (const service of ctx.model.services) {
    if (!service.isProducer) continue;
    checkDuplicates(ctx, service);
    checkRequired(ctx, service);
    const check = (key: string, code: keyof typeof CODES, valid: (v: string) => boolean, message: (v: string) => string) => {
      const entry = service.env.get(key);
      const value = usableValue(entry);
      if (entry?.value && value !== undefined && !valid(value)) {
        ctx.report(diagnostic(code, entry.value.range, message(value)));
      }
    };
    check('BROKER_IP', 'broker-ip-invalid', isHost, (v) => `BROKER_IP "${v}" is not a host name or IP address.`);
    check('BROKER_PORT', 'broker-port-invalid', (v) => isIntegerIn(v, 1, 65535), (v) => `BROKER_PORT "${v}" is not a port number (1–65535).`);
    check('REGISTRY_ADDR', 'registry-url-invalid', isUrlWithScheme, (v) => `REGISTRY_ADDR "${v}" must be a URL with a scheme, e.g. http://schema-registry:8081.`);
    check('PARTITIONS', 'partitions-invalid', (v) => isIntegerIn(v, 1, Infinity), (v) => `PARTITIONS "${v}" must be a positive integer.`);
    check('REPLICATION', 'replication-invalid', (v) => isIntegerIn(v, 1, Infinity), (v) => `REPLICATION "${v}" must be a positive integer (the Kafka replication factor).`);
    check('WAIT_ACK', 'wait-ack-invalid', (v) => v === '0' || v === '1' || v === 'all', (v) => `WAIT_ACK "${v}" must be 0, 1 or all.`);
    check('LOG_LEVEL', 'log-level-invalid', (v) => /^-?\d+$/.test(v.trim()), (v) => `LOG_LEVEL "${v}" must be an integer logging level (10 debug, 20 info, 30 warning, 40 error).`);
    const level = service.env.get('LOG_LEVEL');
    const lv = usableValue(level);
    if (level?.value && lv !== undefined && /^-?\d+$/.test(lv.trim()) && !STANDARD_LOG_LEVELS.has(Number(lv))) {
      ctx.report(diagnostic('log-level-nonstandard', level.value.range, `LOG_LEVEL ${lv} is not a standard level (10, 20, 30, 40, 50).`));
    }
  }
};

/** The value to check, or undefined when it depends on an unset variable (reported elsewhere). */
function usableValue(entry: EnvEntry | undefined): string | undefined {
  if (!entry?.value || entry.value.variables.some((v) => v.unset)) return undefined;
  return entry.value.value;
}

function checkRequired(ctx: RuleContext, service: ServiceModel): void {
  const fromFiles = new Set<string>();
  let unreadableEnvFile = false;
  for (const f of service.envFiles) {
    const vars = ctx.options.serviceEnvFiles?.[f.value];
    if (vars) Object.keys(vars).forEach((k) => fromFiles.add(k));
    else unreadableEnvFile = true;
  }
  // An env_file we could not read may well hold the keys: don't guess.
  if (unreadableEnvFile) return;
  const missing = REQUIRED_PRODUCER_ENV.filter((k) => !service.env.has(k) && !fromFiles.has(k));
  if (missing.length) {
    ctx.report(
      diagnostic(
        'env-missing',
        service.nameRange,
        `Producer ${service.name} has no ${missing.join(', ')} in its environment; run_salkafka_producer.py cannot start without ${missing.length > 1 ? 'them' : 'it'}.`,
      ),
    );
  }
}

function checkDuplicates(ctx: RuleContext, service: ServiceModel): void {
  const seen = new Map<string, EnvEntry>();
  for (const entry of service.environment) {
    const first = seen.get(entry.key);
    if (first && entry.form === 'list') {
      ctx.report(
        diagnostic('env-duplicate', entry.keyRange, `${entry.key} is set twice in ${service.name}; docker-compose uses the last value.`, {
          related: [{ range: first.keyRange, message: 'first set here' }],
        }),
      );
    }
    seen.set(entry.key, entry);
  }
}

function isIntegerIn(v: string, min: number, max: number): boolean {
  if (!/^\d+$/.test(v.trim())) return false;
  const n = Number(v);
  return n >= min && n <= max;
}

function isHost(v: string): boolean {
  const s = v.trim();
  if (!s) return false;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) return s.split('.').every((p) => Number(p) <= 255);
  if (/^\[?[0-9a-fA-F:]+\]?$/.test(s) && s.includes(':')) return true;
  return /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(s);
}

function isUrlWithScheme(v: string): boolean {
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s/]+/.test(v.trim())) return false;
  try {
    new URL(v.trim());
    return true;
  } catch {
    return false;
  }
}

export const producerEnvironmentRule = declareRule({
  rule: producerEnvironment,
  codes: CODES,
  kinds: ['compose'],
  perService: true,
});
