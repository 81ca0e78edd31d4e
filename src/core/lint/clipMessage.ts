import { LIMITS } from '../compose/analysisLimits';
import type { Diagnostic } from './diagnostic';

/**
 * A message quotes text from the file (a YAML error quotes the bad token, messages name services):
 * one 2 MB token made a 2 MB message. Past LIMITS.messageChars the message is cut, saying so.
 */
export function clipMessage(d: Diagnostic): Diagnostic {
  if (d.message.length <= LIMITS.messageChars) return d;
  return { ...d, message: `${d.message.slice(0, LIMITS.messageChars)}… (message cut at ${LIMITS.messageChars} characters)` };
}
