// Shapes produced by the salkafka log parser. Kept free of behaviour so that the
// webview, the tree and the health model can all depend on them cheaply.

export type LogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

/** Which read queue a QueueCapacityChecker message is about. */
export type QueueKind = 'DDS' | 'python';

/** One "<topic> DDS read queue is filling: N of C elements" / "... is full (C elements); data may be lost". */
export interface QueueEvent {
  /** Topic exactly as logged, e.g. `rotation` or `tel_rotation`. */
  topic: string;
  queue: QueueKind;
  /** Reported number of queued elements (equal to capacity when full). */
  fill: number;
  capacity: number;
  full: boolean;
  /** True when the message says data may be lost (the queue overflowed). */
  dataLoss: boolean;
}

/** Producer start-up markers printed by run_salkafka_producer.py. */
/**
 * ts_salkafka's own progress lines: "Creating producers", "Waiting for producers to start",
 * "Running" (or, with --file, "Partial producers are all running"), and on SIGTERM
 * "Shutting down" then "Done" (the producer closed its readers and Kafka producers).
 */
export type Lifecycle = 'creating' | 'waiting' | 'running' | 'stopping' | 'done';

/** Position of a line inside a Python traceback block. */
export type TracebackPart = 'start' | 'body' | 'end';

export interface ParsedLine {
  /** The line as received, minus the trailing newline (Docker timestamp included if present). */
  raw: string;
  /** Docker RFC3339Nano timestamp text, when the stream was requested with timestamps. */
  timestamp?: string;
  /** Unix seconds of `timestamp`. */
  tsSec?: number;
  /** Nanoseconds within `tsSec`. */
  tsNanos?: number;
  /** `seq=N` counter written by the test-host simulator. */
  seq?: number;
  level?: LogLevel;
  logger?: string;
  /** SAL component name derived from the logger (`salkafka.MTHexapod:1` → `MTHexapod`). */
  csc?: string;
  /** SAL index derived from the logger (`salkafka.MTHexapod:1` → `1`). */
  cscIndex?: string;
  /** Text after the timestamp / seq / level / logger prefixes. */
  message: string;
  queue?: QueueEvent;
  lifecycle?: Lifecycle;
  traceback?: TracebackPart;
  /**
   * Not a log line: written by the follower where a new run of the producer begins (a start,
   * restart or re-created container), placed before the run's first line. Never deduplicated.
   */
  startMarker?: StartMarker;
}

export interface StartMarker {
  /** Container id (12 hex) of the run. */
  containerId: string;
  /** The container's State.StartedAt. */
  startedAt: string;
  /** A different container than the previous run's (Apply / up -d re-created it). */
  recreated: boolean;
}

/** A complete Python traceback, gathered from consecutive lines. */
export interface ErrorBlock {
  /** Timestamp text of the first line of the block, when known. */
  timestamp?: string;
  csc?: string;
  lines: string[];
  /** Last line, e.g. `ValueError: bad topic` (empty if the block was cut off). */
  exception: string;
}
