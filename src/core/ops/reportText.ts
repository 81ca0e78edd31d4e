// Plain text / Markdown renderings of plans and reports, shared by the UI (plan document,
// confirmation modal, output channels) and tests.
import type { Plan } from './plan';
import type { TroubleshootReport } from './troubleshoot';
import type { VerifyReport } from './verify';

const ICON = { pass: '✔', fail: '✘', skipped: '–', pending: '…' } as const;

/** Short text for a modal's detail: commands, warnings, backup, production, rollback. */
export function planDetail(plan: Plan, dryRun: boolean): string {
  const out: string[] = [];
  if (dryRun) out.push('DRY RUN (efdSalkafka.dryRun): nothing will be changed.\n');
  if (plan.production.production) out.push(`PRODUCTION: ${plan.production.reasons.join('; ')}.\n`);
  if (plan.cscListBefore.join(' ') !== plan.cscListAfter.join(' ')) out.push(`CSC_LIST: ${plan.cscListBefore.join(' ')}\n      →  ${plan.cscListAfter.join(' ')}\n`);
  if (plan.file) out.push(`Writes ${plan.file.path} (backup: ${plan.file.backupPath}).`);
  out.push(`Runs on ${plan.host}:`);
  for (const c of plan.commands) out.push(`  ${c.display}`);
  if (!plan.commands.length) out.push('  (no container command)');
  for (const w of plan.warnings) out.push(`\n⚠ ${w}`);
  out.push(`\nRoll back: ${plan.rollback.join(' ')}`);
  return out.join('\n');
}

export function planMarkdown(plan: Plan, dryRun: boolean): string {
  const md: string[] = [`# ${plan.summary}`, ''];
  if (dryRun) md.push('> **DRY RUN** — `efdSalkafka.dryRun` is on: nothing will be changed.', '');
  md.push(
    `- Host: \`${plan.host}\` — service \`${plan.service}\` (container \`${plan.containerName}\`, now ${plan.containerState})`,
    `- Production: **${plan.production.production ? 'YES' : 'no'}**${plan.production.reasons.length ? ` (${plan.production.reasons.join('; ')})` : ''}`,
    `- CSC_LIST before: \`${plan.cscListBefore.join(' ')}\``,
    `- CSC_LIST after: \`${plan.cscListAfter.join(' ')}\``,
    `- Compose file: \`${plan.composePath}\` (sha256 \`${plan.basedOnSha256.slice(0, 16)}…\`)`,
  );
  if (plan.file) md.push(`- Backup written before the change: \`${plan.file.backupPath}\``);
  if (!plan.persistent) md.push('- **Not persistent**: the compose file does not change.');
  md.push('', '## Commands', '');
  for (const c of plan.commands) md.push(`${c.purpose}:`, '', '```sh', c.cwd ? `cd ${c.cwd}` : '', c.display, '```', '');
  if (plan.hotAdd) md.push('The `<hot-add script>` is a fixed script; the CSC list and options are passed as separate quoted arguments.', '');
  if (plan.warnings.length) md.push('## Read before confirming', '', ...plan.warnings.map((w) => `- ⚠ ${w}`), '');
  md.push('## Roll back', '', ...plan.rollback.map((r) => `- ${r}`), '');
  md.push('## Verification afterwards', '', plan.verify.state === 'skip' ? '- nothing to verify' : `- container ${plan.verify.state}; restarted: ${plan.verify.restarted}; CSCs in the log: ${plan.verify.fileProducer ? '(--file, skipped)' : plan.verify.cscs.join(' ')}`);
  return md.join('\n');
}

export function verifyText(r: VerifyReport): string {
  const lines = [r.summary, ...r.checks.map((c) => `  ${ICON[c.status]} ${c.name}: ${c.detail}`)];
  if (r.errorLines.length) lines.push('  Error lines since start:', ...r.errorLines.map((l) => `    ${l}`));
  return lines.join('\n');
}

export function verifyMarkdown(r: VerifyReport): string {
  const md = [`# ${r.ok ? '✔ PASS' : '✘ FAIL'} — ${r.container}`, '', r.summary, '', '| | Check | Detail |', '|---|---|---|'];
  for (const c of r.checks) md.push(`| ${ICON[c.status]} | ${c.name} | ${c.detail.replace(/\|/g, '\\|')} |`);
  md.push('', `${r.logLinesExamined} log lines examined in ${(r.elapsedMs / 1000).toFixed(1)} s${r.startedAt ? `; container started ${r.startedAt}` : ''}.`);
  if (r.errorLines.length) md.push('', '## Error lines', '', '```', ...r.errorLines, '```');
  return md.join('\n');
}

export function troubleshootMarkdown(r: TroubleshootReport): string {
  const md = [`# Troubleshoot ${r.container}`, '', `**${r.headline}**`, ''];
  for (const f of r.findings) {
    md.push(`## ${f.severity === 'error' ? '✘' : f.severity === 'warning' ? '⚠' : 'ℹ'} ${f.title}`, '', `**What to do:** ${f.action}`, '');
    if (f.evidence.length) md.push('```', ...f.evidence, '```', '');
  }
  return md.join('\n');
}
