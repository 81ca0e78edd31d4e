// Fast, allocation-light parser for one salkafka producer log line.
//
// Accepted shapes (each prefix optional, in this order):
//   <RFC3339Nano Docker timestamp> SP
//   <Python asctime "YYYY-MM-DD HH:MM:SS,mmm"> SP
//   seq=<N> SP                                   (test-host simulator only)
//   LEVEL:logger[:index]:message                 (logging.basicConfig default; what ts_salkafka prints)
//   | logger - LEVEL - message                   (common "%(name)s - %(levelname)s - %(message)s")
//   | LEVEL SP message
//   | message                                    (a bare StreamHandler)
// Queue and lifecycle markers are recognised in the message whatever prefix it had, so lines
// that match none of the shapes still contribute to queue health.
import type { LogLevel, ParsedLine, QueueEvent } from './logTypes';

const LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];
// Python also emits "WARN" and "FATAL" for the same numeric levels.
const LEVEL_ALIASES: Record<string, LogLevel> = {
  DEBUG: 'DEBUG', INFO: 'INFO', WARNING: 'WARNING', WARN: 'WARNING',
  ERROR: 'ERROR', CRITICAL: 'CRITICAL', FATAL: 'CRITICAL',
};

// "<topic> DDS read queue is filling: 21 of 100 elements"
// "<topic> python read queue is full (100 elements); data may be lost"
const QUEUE_RE =
  /(\S+) (DDS|python) read queue is (?:filling: (\d+) of (\d+) elements|full \((\d+) elements\)(; data may be lost)?)/;
const DASH_FORMAT_RE = /^(\S+) - (DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL) - /;
const CSC_NAME_RE = /^[A-Z][A-Za-z0-9]*$/;

const C_0 = 48;
const C_9 = 57;
const C_DASH = 45;
const C_T = 84;
const C_SPACE = 32;
const C_COLON = 58;

function isDigit(c: number): boolean {
  return c >= C_0 && c <= C_9;
}

// Parsing the date part of every timestamp is the most expensive step; consecutive lines almost
// always share the same second, so remember the last one.
let cachedSecondText = '';
let cachedSecond = 0;

/**
 * Splits a Docker RFC3339(Nano) timestamp into unix seconds and nanoseconds.
 * Returns undefined for text that is not such a timestamp.
 */
export function parseDockerTimestamp(ts: string): { sec: number; nanos: number } | undefined {
  if (ts.length < 20 || ts.charCodeAt(4) !== C_DASH || ts.charCodeAt(10) !== C_T) return undefined;
  let sec: number;
  let secondText: string | undefined;
  if (cachedSecondText.length === 19 && ts.startsWith(cachedSecondText)) {
    sec = cachedSecond;
  } else {
    secondText = ts.slice(0, 19);
    const ms = Date.UTC(
      +ts.slice(0, 4), +ts.slice(5, 7) - 1, +ts.slice(8, 10),
      +ts.slice(11, 13), +ts.slice(14, 16), +ts.slice(17, 19),
    );
    if (Number.isNaN(ms)) return undefined;
    sec = ms / 1000;
  }
  let i = 19;
  let nanos = 0;
  if (ts.charCodeAt(i) === 46 /* . */) {
    i++;
    let digits = 0;
    while (i < ts.length && isDigit(ts.charCodeAt(i))) {
      if (digits < 9) {
        nanos = nanos * 10 + (ts.charCodeAt(i) - C_0);
        digits++;
      }
      i++;
    }
    for (; digits < 9; digits++) nanos *= 10;
  }
  // Zone: Docker always writes Z; accept a numeric offset as well.
  const zone = ts.charCodeAt(i);
  if (zone === 43 /* + */ || zone === C_DASH) {
    const offH = +ts.slice(i + 1, i + 3);
    const offM = +ts.slice(i + 4, i + 6);
    if (Number.isNaN(offH) || Number.isNaN(offM)) return undefined;
    const off = (offH * 3600 + offM * 60) * (zone === 43 ? 1 : -1);
    return { sec: sec - off, nanos };
  }
  if (zone !== 90 /* Z */) return undefined;
  if (secondText !== undefined) {
    cachedSecondText = secondText;
    cachedSecond = sec;
  }
  return { sec, nanos };
}

// A producer has a handful of loggers; remember their CSCs (bounded in case of junk).
const loggerCache = new Map<string, { csc: string; index?: string } | null>();

function cachedCscFromLogger(logger: string): { csc: string; index?: string } | undefined {
  let c = loggerCache.get(logger);
  if (c === undefined) {
    if (loggerCache.size > 2000) loggerCache.clear();
    c = cscFromLogger(logger) ?? null;
    loggerCache.set(logger, c);
  }
  return c ?? undefined;
}

/** Maps a logger name to the SAL component it belongs to, e.g. `salkafka.MTHexapod:1`. */
export function cscFromLogger(logger: string): { csc: string; index?: string } | undefined {
  let name = logger.startsWith('salkafka.') ? logger.slice(9) : logger;
  const dot = name.indexOf('.');
  if (dot >= 0) name = name.slice(0, dot);
  let index: string | undefined;
  const colon = name.indexOf(':');
  if (colon >= 0) {
    index = name.slice(colon + 1);
    name = name.slice(0, colon);
  }
  if (!CSC_NAME_RE.test(name)) return undefined;
  return index !== undefined && index !== '' ? { csc: name, index } : { csc: name };
}

/** Recognises a QueueCapacityChecker message anywhere in `message`. */
export function parseQueueMessage(message: string): QueueEvent | undefined {
  // Cheap pre-check: the regex only runs on the rare lines that can match.
  if (message.indexOf(' read queue is ') < 0) return undefined;
  const m = QUEUE_RE.exec(message);
  if (!m) return undefined;
  const queue = m[2] as 'DDS' | 'python';
  if (m[3] !== undefined) {
    const fill = +m[3];
    const capacity = +m[4];
    return { topic: m[1], queue, fill, capacity, full: fill >= capacity, dataLoss: false };
  }
  const capacity = +m[5];
  return { topic: m[1], queue, fill: capacity, capacity, full: true, dataLoss: m[6] !== undefined };
}

// levelColonAt's results, kept in module variables so the hot path allocates nothing.
let foundLevel: LogLevel = 'INFO';
let foundEnd = 0;

/** Reads `LEVEL:` at `pos` into foundLevel / foundEnd (index after the colon). */
function levelColonAt(s: string, pos: number): boolean {
  switch (s.charCodeAt(pos)) {
    case 73: return s.startsWith('INFO:', pos) && setFound('INFO', pos + 5);
    case 87:
      if (s.startsWith('WARNING:', pos)) return setFound('WARNING', pos + 8);
      return s.startsWith('WARN:', pos) && setFound('WARNING', pos + 5);
    case 69: return s.startsWith('ERROR:', pos) && setFound('ERROR', pos + 6);
    case 68: return s.startsWith('DEBUG:', pos) && setFound('DEBUG', pos + 6);
    case 67: return s.startsWith('CRITICAL:', pos) && setFound('CRITICAL', pos + 9);
    case 70: return s.startsWith('FATAL:', pos) && setFound('CRITICAL', pos + 6);
    default: return false;
  }
}

function setFound(level: LogLevel, end: number): true {
  foundLevel = level;
  foundEnd = end;
  return true;
}

function startsLikeLevel(c: number): boolean {
  return c === 68 || c === 73 || c === 87 || c === 69 || c === 67 || c === 70;
}

/** Parses one line (without its trailing newline). Never throws; junk becomes a bare message. */
export function parseLine(raw: string): ParsedLine {
  // All fields are created up front so every ParsedLine has the same hidden class (monomorphic
  // property access downstream is a large part of the throughput).
  const line: ParsedLine = {
    raw, timestamp: undefined, tsSec: undefined, tsNanos: undefined, seq: undefined, level: undefined,
    logger: undefined, csc: undefined, cscIndex: undefined, message: raw, queue: undefined,
    lifecycle: undefined, traceback: undefined,
  };
  let pos = 0;

  // Docker timestamp: "2024-05-01T12:00:00.123456789Z ".
  if (raw.length > 20 && raw.charCodeAt(10) === C_T && raw.charCodeAt(4) === C_DASH && isDigit(raw.charCodeAt(0))) {
    const sp = raw.indexOf(' ', 19);
    const tsText = sp < 0 ? raw : raw.slice(0, sp);
    const ts = parseDockerTimestamp(tsText);
    if (ts) {
      line.timestamp = tsText;
      line.tsSec = ts.sec;
      line.tsNanos = ts.nanos;
      pos = sp < 0 ? raw.length : sp + 1;
    }
  }

  // Python asctime "2024-05-01 12:00:00,123 ".
  if (
    raw.length >= pos + 24 && raw.charCodeAt(pos + 10) === C_SPACE && raw.charCodeAt(pos + 4) === C_DASH &&
    raw.charCodeAt(pos + 13) === C_COLON && raw.charCodeAt(pos + 19) === 44 /* , */ && raw.charCodeAt(pos + 23) === C_SPACE
  ) {
    pos += 24;
  }

  // Simulator sequence number "seq=123 ".
  if (raw.startsWith('seq=', pos)) {
    let i = pos + 4;
    let n = 0;
    while (i < raw.length && isDigit(raw.charCodeAt(i))) n = n * 10 + (raw.charCodeAt(i++) - C_0);
    if (i > pos + 4 && (i === raw.length || raw.charCodeAt(i) === C_SPACE)) {
      line.seq = n;
      pos = i === raw.length ? i : i + 1;
    }
  }

  if (levelColonAt(raw, pos)) {
    // LEVEL:logger[:index]:message
    line.level = foundLevel;
    const loggerStart = foundEnd;
    let colon = raw.indexOf(':', loggerStart);
    if (colon > loggerStart) {
      // "salkafka.MTHexapod:1:msg": a purely numeric segment after the logger is its SAL index.
      let j = colon + 1;
      while (j < raw.length && isDigit(raw.charCodeAt(j))) j++;
      if (j > colon + 1 && raw.charCodeAt(j) === C_COLON) colon = j;
      line.logger = raw.slice(loggerStart, colon);
      pos = colon + 1;
    } else {
      pos = loggerStart;
    }
  } else {
    // Rarer formats; each is tried only when a cheap check says it can match.
    const dashAt = raw.indexOf(' - ', pos);
    const dash = dashAt > pos && dashAt - pos < 120 ? DASH_FORMAT_RE.exec(pos === 0 ? raw : raw.slice(pos)) : null;
    if (dash) {
      line.logger = dash[1];
      line.level = LEVEL_ALIASES[dash[2]];
      pos += dash[0].length;
    } else if (startsLikeLevel(raw.charCodeAt(pos))) {
      const sp = raw.indexOf(' ', pos);
      const word = sp > pos && sp - pos <= 8 ? LEVEL_ALIASES[raw.slice(pos, sp)] : undefined;
      if (word) {
        line.level = word;
        pos = sp + 1;
      }
    }
  }

  const message = pos === 0 ? raw : raw.slice(pos);
  line.message = message;

  if (line.logger !== undefined) {
    const c = cachedCscFromLogger(line.logger);
    if (c) {
      line.csc = c.csc;
      line.cscIndex = c.index;
    }
  }

  const queue = parseQueueMessage(message);
  if (queue) {
    line.queue = queue;
    // A bare StreamHandler loses the level; QueueCapacityChecker uses WARNING / ERROR.
    if (line.level === undefined) line.level = queue.full ? 'ERROR' : 'WARNING';
  } else {
    const c0 = message.charCodeAt(0);
    if (c0 === 67 /* C */ && message.startsWith('Creating producers')) line.lifecycle = 'creating';
    else if (c0 === 87 /* W */ && message.startsWith('Waiting for producers to start')) line.lifecycle = 'waiting';
    else if (c0 === 82 /* R */ && message.startsWith('Running') && /^Running\.?\s*$/.test(message)) line.lifecycle = 'running';
    // --file producers (run_distributed_producer) print these instead, with no logger prefix.
    else if (c0 === 80 /* P */ && message.startsWith('Partial producers are all running')) line.lifecycle = 'running';
    else if (c0 === 87 /* W */ && message.startsWith('Waiting for partial producers to start')) line.lifecycle = 'waiting';
    else if (c0 === 83 /* S */ && /^Shutting down( partial producers)?\s*$/.test(message)) line.lifecycle = 'stopping';
    else if (c0 === 68 /* D */ && /^Done\s*$/.test(message)) line.lifecycle = 'done';
  }
  return line;
}

export const LOG_LEVELS = LEVELS;
