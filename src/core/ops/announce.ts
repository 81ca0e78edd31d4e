// Text for the operations channel (Slack #summit-ops or similar): what changes, where, when,
// who, what the EFD will miss meanwhile, and how to roll back. Plain text so it pastes anywhere.
import type { ApplyResult } from './apply';
import type { Plan } from './plan';
import type { VerifyReport } from './verify';

export interface AnnounceContext {
  user?: string;
  /** Set once the plan ran; the text then reports the outcome instead of an intention. */
  result?: ApplyResult;
  verify?: VerifyReport;
  /** When the change is/was made; default plan.createdAt. */
  at?: Date;
}

function utc(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function impact(plan: Plan): string {
  const cscs = plan.cscListBefore.join(' ') || '(none)';
  switch (plan.action) {
    case 'add-csc':
    case 'remove-csc':
    case 'rollback':
      return `${plan.containerName} is recreated: a gap of a few seconds in the EFD for ${cscs}.`;
    case 'restart':
      return `${plan.containerName} restarts: a gap of a few seconds in the EFD for ${cscs}.`;
    case 'apply':
      return `${plan.containerName} is recreated only if it differs from the compose file (then a gap of a few seconds for ${cscs}).`;
    case 'stop':
      return `NO EFD data for ${cscs} until the producer is started again.`;
    case 'start':
      return `EFD data for ${cscs} resumes.`;
    case 'hot-add':
      return `The producer process inside ${plan.containerName} is changed by hand; lost if the container restarts (the compose file is NOT changed).`;
    default:
      return `${plan.service} changes: a gap of a few seconds in the EFD for each producer that is recreated.`;
  }
}

export function announcementText(plan: Plan, ctx: AnnounceContext = {}): string {
  const when = ctx.at ?? new Date(ctx.result?.startedAt ?? plan.createdAt);
  const done = ctx.result && ctx.result.status !== 'dry-run';
  const lines: string[] = [];
  const env = plan.production.production ? 'PRODUCTION' : `dev${plan.production.domainId ? ` domain ${plan.production.domainId}` : ''}`;
  lines.push(`${done ? '[EFD change done]' : '[EFD change planned]'} ${plan.summary} (${env})`);
  lines.push(`When: ${utc(when)}${ctx.user ? ` — by ${ctx.user}` : ''}`);
  lines.push(`Where: ${plan.host}, service ${plan.service}, ${plan.composePath}`);
  if (plan.cscListBefore.join(' ') !== plan.cscListAfter.join(' ')) {
    lines.push(`CSC_LIST: ${plan.cscListBefore.join(' ')} → ${plan.cscListAfter.join(' ')}`);
  }
  lines.push(`How: ${plan.commands.filter((c) => c.role === 'change').map((c) => c.display).join(' ; ') || 'no container command'}`);
  lines.push(`Impact: ${impact(plan)}`);
  if (ctx.result && done) {
    lines.push(`Outcome: ${ctx.result.status}${ctx.verify ? `, verification ${ctx.verify.ok ? 'PASSED' : 'FAILED'} (${ctx.verify.summary})` : ''}`);
    if (ctx.result.backupPath) lines.push(`Backup: ${ctx.result.backupPath}`);
  } else if (plan.files.some((f) => f.backupPath)) {
    lines.push(`Backup: ${plan.files.map((f) => f.backupPath).filter(Boolean).join(', ')}`);
  }
  lines.push(`Roll back: ${plan.rollback.join(' ')}`);
  return lines.join('\n');
}
