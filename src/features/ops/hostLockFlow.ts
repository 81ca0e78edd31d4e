// The questions around the host lock: who holds it (wait or cancel), and a stale lock left by an
// interrupted change (break it, with confirmation, recorded in the audit log). Core logic is in
// core/ops/hostLock.ts; this file only asks and reports.
import * as os from 'node:os';
import * as vscode from 'vscode';
import { appendAuditEvent } from '../../core/ops/audit';
import { acquireHostLock, describeHolder, hostLockPath, newLockToken } from '../../core/ops/hostLock';
import type { AcquireResult, HeldLock, LockHolder } from '../../core/ops/hostLock';
import type { Plan } from '../../core/ops/plan';
import type { Host } from '../../core/host/host';
import type { Prompter } from './prompter';

export const WAIT_CHOICE = 'Wait for It';
export const BREAK_CHOICE = 'Break the Lock and Continue';
/** How long "Wait" waits before asking again. */
const WAIT_SECONDS = 600;

export interface LockFlowDeps {
  prompter: Prompter;
  localUser: string;
  auditPath: string;
  log(line: string): void;
}

export function holderFor(plan: Plan, conn: Host, localUser: string): LockHolder {
  return {
    user: localUser,
    client: safeHostname(),
    remoteUser: conn.target.user,
    action: plan.action,
    service: plan.service,
    summary: plan.summary,
    since: new Date().toISOString(),
    token: newLockToken(),
  };
}

/** Takes the host lock for `plan`, asking the user when it is busy or stale; undefined = gave up. */
export async function takeHostLock(conn: Host, composePath: string, plan: Plan, deps: LockFlowDeps): Promise<HeldLock | undefined> {
  const path = hostLockPath(composePath);
  const holder = holderFor(plan, conn, deps.localUser);
  let r: AcquireResult = await acquireHostLock(conn, path, holder, { composePath });
  for (;;) {
    if (r.kind === 'acquired') {
      deps.log(`Host lock ${path} taken: ${plan.summary}.`);
      return r.lock;
    }
    if (r.kind === 'busy') {
      const who = describeHolder(r.content);
      deps.log(`Host lock ${path} is held by ${who}.`);
      const a = await deps.prompter.modal({
        message: `${conn.alias} is being changed by someone else`,
        detail: `${who}.\n\nChanges on one host run one at a time (plan → apply → verify). Wait until it is done, or cancel and talk to them first.`,
        choices: [WAIT_CHOICE],
      });
      if (a !== WAIT_CHOICE) return undefined;
      const waited: AcquireResult | undefined = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Waiting for the change by ${r.content.holder?.user ?? 'another operator'} on ${conn.alias}…`, cancellable: true },
        (_p, token) => {
          const ac = new AbortController();
          token.onCancellationRequested(() => ac.abort());
          return acquireHostLock(conn, path, holder, { waitSeconds: WAIT_SECONDS, signal: ac.signal, composePath }).catch((err: Error) => {
            deps.log(err.message);
            return undefined;
          });
        },
      );
      if (!waited) return undefined;
      r = waited;
      continue;
    }
    // Stale: its holder's connection ended while it held the lock.
    const who = describeHolder(r.content);
    deps.log(`Host lock ${path} is STALE: ${who} (holder gone).`);
    const a = await deps.prompter.modal({
      message: `The last change on ${conn.alias} did not finish`,
      detail:
        `${who}.\n\nIts operator's connection ended while holding the host lock, so that change may have stopped half-way ` +
        `(check the audit log and run Verify on ${r.content.holder?.service ?? 'the producer'}). Break the lock only if you know ` +
        `nobody is still working on it; breaking it is recorded in the audit log.`,
      choices: [BREAK_CHOICE],
    });
    if (a !== BREAK_CHOICE) return undefined;
    const previous = r.content;
    r = await acquireHostLock(conn, path, holder, { breakStaleSha256: r.sha256, composePath });
    if (r.kind === 'acquired') {
      await appendAuditEvent(conn, deps.auditPath, {
        v: 1,
        at: new Date().toISOString(),
        action: 'break-lock',
        localUser: deps.localUser,
        remoteUser: conn.target.user,
        host: conn.alias,
        summary: `broke the stale host lock ${path} (${describeHolder(previous)}) to ${plan.summary.charAt(0).toLowerCase()}${plan.summary.slice(1)}`,
        previousHolder: previous,
      }, composePath).catch((err: Error) => deps.log(`!! could not record breaking the lock in ${deps.auditPath}: ${err.message}`));
    }
  }
}

function safeHostname(): string {
  try {
    return os.hostname();
  } catch {
    return 'unknown';
  }
}
