// Compact wire form of a log line for the pane's webview: [timestamp | '', text, class].
// Classes drive highlighting: e error, w warning, q queue event (with its level), t traceback,
// l lifecycle or start marker, '' plain.
import type { ParsedLine } from '../../core/logs/logTypes';
import { levelForQueueEvent } from '../../core/logs/queueHealth';

export type WireLine = [string, string, string];

export function toWireLine(l: ParsedLine): WireLine {
  const ts = l.timestamp ?? '';
  const text = ts ? l.raw.slice(ts.length + 1) : l.raw;
  let cls = '';
  if (l.startMarker) cls = 'l m'; // m: placed by its timestamp, possibly before lines already shown
  else if (l.queue) cls = `q ${levelForQueueEvent(l.queue)}`;
  else if (l.traceback) cls = 't';
  else if (l.lifecycle) cls = 'l';
  else if (l.level === 'ERROR' || l.level === 'CRITICAL') cls = 'e';
  else if (l.level === 'WARNING') cls = 'w';
  return [ts, text, cls];
}
