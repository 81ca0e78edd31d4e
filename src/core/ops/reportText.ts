// Plain text / Markdown renderings of plans and reports, shared by the UI (plan document,
// confirmation modal, output channels) and tests.
import type { Plan, PlannedFileChange } from './plan';
import { planStages } from './plan';
import type { TroubleshootReport } from './troubleshoot';
import type { VerifyReport } from './verify';
import { mdCode, mdFence, mdText } from '../text/markdown';

const ICON = { pass: '✔', fail: '✘', skipped: '–', pending: '…' } as const;

/** Short text for a modal's detail: commands, warnings, backup, production, rollback. */
export function planDetail(plan: Plan, dryRun: boolean): string {
  const out: string[] = [];
  if (dryRun) out.push('DRY RUN (efdSalkafka.dryRun): nothing will be changed.\n');
  if (plan.production.production) out.push(`PRODUCTION: ${plan.production.reasons.join('; ')}.\n`);
  if (plan.cscListBefore.join(' ') !== plan.cscListAfter.join(' ')) out.push(`CSC_LIST: ${plan.cscListBefore.join(' ')}\n      →  ${plan.cscListAfter.join(' ')}\n`);
  for (const f of plan.files) out.push(fileLine(f));
  out.push(`Runs on ${plan.host}:`);
  const stages = planStages(plan);
  stages.forEach((s, i) => {
    if (stages.length > 1) out.push(` ${i + 1}. ${s.label} (then verify ${s.verify.container})`);
    for (const c of s.commands) out.push(`  ${c.display}`);
  });
  if (!plan.commands.length) out.push('  (no container command)');
  for (const w of plan.warnings) out.push(`\n⚠ ${w}`);
  out.push(`\nRoll back: ${plan.rollback.join(' ')}`);
  return out.join('\n');
}

function fileLine(f: PlannedFileChange): string {
  if (f.kind === 'create') return `Creates ${f.path}.`;
  if (f.kind === 'delete') return `Removes ${f.path} (backup: ${f.backupPath}).`;
  return `Writes ${f.path} (backup: ${f.backupPath}).`;
}

// Everything that can come from outside (host, service, CSC tokens, paths, commands, warnings)
// goes through mdText / mdCode / mdFence (src/core/text/markdown.ts).
export function planMarkdown(plan: Plan, dryRun: boolean): string {
  const md: string[] = [`# ${mdText(plan.summary)}`, ''];
  if (dryRun) md.push('> **DRY RUN** — `efdSalkafka.dryRun` is on: nothing will be changed.', '');
  md.push(
    `- Host: ${mdCode(plan.host)} — service ${mdCode(plan.service)} (container ${mdCode(plan.containerName)}, now ${mdText(plan.containerState)})`,
    `- Production: **${plan.production.production ? 'YES' : 'no'}**${plan.production.reasons.length ? ` (${mdText(plan.production.reasons.join('; '))})` : ''}`,
    `- CSC_LIST before: ${mdCode(plan.cscListBefore.join(' '))}`,
    `- CSC_LIST after: ${mdCode(plan.cscListAfter.join(' '))}`,
    `- Compose file: ${mdCode(plan.composePath)} (sha256 ${mdCode(`${plan.basedOnSha256.slice(0, 16)}…`)})`,
  );
  if (plan.files.length === 1 && plan.files[0].kind === 'modify' && plan.files[0].path === plan.composePath) {
    md.push(`- Backup written before the change: ${mdCode(plan.files[0].backupPath)}`);
  } else {
    for (const f of plan.files) md.push(`- ${mdText(f.kind)} ${mdCode(f.path)}${f.backupPath ? ` (backup ${mdCode(f.backupPath)})` : ''}`);
  }
  if (!plan.persistent) md.push('- **Not persistent**: the compose file does not change.');
  md.push('', '## Commands', '');
  const stages = planStages(plan);
  stages.forEach((s, i) => {
    if (stages.length > 1) md.push(`### Stage ${i + 1}: ${mdText(s.label)}`, '', `Then verify ${mdCode(s.verify.container)}; a failure stops here.`, '');
    for (const c of s.commands) md.push(`${mdText(c.purpose)}:`, '', mdFence([...(c.cwd ? [`cd ${c.cwd}`] : []), c.display], 'sh'), '');
  });
  if (plan.hotAdd) md.push('The `<hot-add script>` is a fixed script; the CSC list and options are passed as separate quoted arguments.', '');
  if (plan.warnings.length) md.push('## Read before confirming', '', ...plan.warnings.map((w) => `- ⚠ ${mdText(w)}`), '');
  md.push('## Roll back', '', ...plan.rollback.map((r) => `- ${mdText(r)}`), '');
  md.push(
    '## Verification afterwards',
    '',
    plan.verify.state === 'skip'
      ? '- nothing to verify'
      : `- container ${mdText(plan.verify.state)}; restarted: ${mdText(plan.verify.restarted)}; CSCs in the log: ${plan.verify.fileProducer ? '(--file, skipped)' : mdText(plan.verify.cscs.join(' '))}`,
  );
  return md.join('\n');
}

export function verifyText(r: VerifyReport): string {
  const lines = [r.summary, ...r.checks.map((c) => `  ${ICON[c.status]} ${c.name}: ${c.detail}`)];
  if (r.errorLines.length) lines.push('  Error lines since start:', ...r.errorLines.map((l) => `    ${l}`));
  return lines.join('\n');
}

// Log lines (errorLines, evidence) can hold anything a container printed: they go in a fence
// longer than any backtick run they contain; every other outside text is escaped.
export function verifyMarkdown(r: VerifyReport): string {
  const md = [`# ${r.ok ? '✔ PASS' : '✘ FAIL'} — ${mdText(r.container)}`, '', mdText(r.summary), '', '| | Check | Detail |', '|---|---|---|'];
  for (const c of r.checks) md.push(`| ${ICON[c.status]} | ${mdText(c.name)} | ${mdText(c.detail)} |`);
  md.push('', `${r.logLinesExamined} log lines examined in ${(r.elapsedMs / 1000).toFixed(1)} s${r.startedAt ? `; container started ${mdText(r.startedAt)}` : ''}.`);
  if (r.errorLines.length) md.push('', '## Error lines', '', mdFence(r.errorLines));
  return md.join('\n');
}

export function troubleshootMarkdown(r: TroubleshootReport): string {
  const md = [`# Troubleshoot ${mdText(r.container)}`, '', `**${mdText(r.headline)}**`, ''];
  for (const f of r.findings) {
    md.push(`## ${f.severity === 'error' ? '✘' : f.severity === 'warning' ? '⚠' : 'ℹ'} ${mdText(f.title)}`, '', `**What to do:** ${mdText(f.action)}`, '');
    if (f.evidence.length) md.push(mdFence(f.evidence), '');
  }
  return md.join('\n');
}
