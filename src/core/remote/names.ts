// Strict validation of names that end up on a remote command line or in a Docker API path.
// Validation happens BEFORE any command is built, so a hostile name is rejected with a message
// the user can act on instead of being quoted and sent anyway.

export class InvalidNameError extends Error {
  constructor(
    readonly kind: string,
    readonly value: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidNameError';
  }
}

/** Compose service names: Docker's own rule, limited to 63 characters. */
export const SERVICE_NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;
/** Container names follow the same rule (container_name equals the service name on azar2). */
export const CONTAINER_NAME_RE = SERVICE_NAME_RE;
/** A SAL component, optionally with an index: `ATDome`, `MTM1M3`, `Test:42`. */
export const CSC_TOKEN_RE = /^[A-Za-z][A-Za-z0-9]*(:[0-9]+)?$/;

function describe(value: unknown): string {
  if (typeof value !== 'string') return `a ${typeof value}`;
  // JSON.stringify shows newlines, quotes and control characters visibly.
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return JSON.stringify(shown);
}

function check(kind: string, re: RegExp, rule: string, value: unknown): string {
  if (typeof value !== 'string' || !re.test(value)) {
    throw new InvalidNameError(kind, String(value), `Invalid ${kind} ${describe(value)}: ${rule}.`);
  }
  return value;
}

export function validateServiceName(value: unknown): string {
  return check(
    'service name',
    SERVICE_NAME_RE,
    'use 1–63 characters from letters, digits, "_", "." and "-", starting with a letter or digit',
    value,
  );
}

export function validateContainerName(value: unknown): string {
  return check(
    'container name',
    CONTAINER_NAME_RE,
    'use 1–63 characters from letters, digits, "_", "." and "-", starting with a letter or digit',
    value,
  );
}

export function validateCscToken(value: unknown): string {
  return check(
    'CSC name',
    CSC_TOKEN_RE,
    'a SAL component is letters and digits starting with a letter, optionally followed by ":<index>" (e.g. ATDome, Test:42)',
    value,
  );
}

/** True/false variants for UI validation (input boxes) without exceptions. */
export const isServiceName = (v: string): boolean => SERVICE_NAME_RE.test(v);
export const isContainerName = (v: string): boolean => CONTAINER_NAME_RE.test(v);
export const isCscToken = (v: string): boolean => CSC_TOKEN_RE.test(v);
