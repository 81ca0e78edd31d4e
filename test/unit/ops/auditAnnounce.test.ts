import { strict as assert } from 'assert';
import { announcementText } from '../../../src/core/ops/announce';
import type { ApplyResult } from '../../../src/core/ops/apply';
import { auditEventLine, auditLine, auditLogPath, buildAuditRecord, formatAuditRecord, parseAuditLog } from '../../../src/core/ops/audit';
import { planAddCsc, planLifecycle } from '../../../src/core/ops/plan';
import { ctx, COMPOSE_PATH } from './fixtures';

const DIR = '/deploy-lsst/docker-compose-ops/kafka_writers';

function applied(planId: string, upDisplay: string): ApplyResult {
  return {
    planId,
    status: 'applied',
    startedAt: '2026-11-24T23:40:35.000Z',
    hostStartedAt: '2026-11-24T23:40:35.000Z',
    clockSkewMs: 0,
    backupPath: `${DIR}/docker-compose.yaml.2026-11-24T23-40-34-123Z.bak`,
    writtenSha256: 'f'.repeat(64),
    files: [],
    stages: [],
    steps: [{ purpose: 'up', display: upDisplay, argv: [], exitCode: 0, durationMs: 1700, outputTail: 'Recreating salkafka-m2 ... done' }],
    hostState: 'ok',
  };
}

describe('audit records', () => {
  it('has who, when, where, what, commands with exit codes, backup, verification, dry-run flag, outcome', () => {
    const plan = planAddCsc(ctx(), 'salkafka-m2', 'MTDome');
    const result = applied(plan.id, plan.commands[0].display);
    const verify = { container: 'salkafka-m2', ok: true, checks: [], summary: 'PASS', logLinesExamined: 7, errorLines: [], elapsedMs: 4000 };
    const r = buildAuditRecord(plan, result, verify, { localUser: 'alice', remoteUser: 'salkafka' }, new Date('2026-11-24T23:41:00Z'));
    assert.deepEqual(
      Object.keys(r).sort(),
      ['action', 'at', 'backupPath', 'commands', 'composeSha256After', 'composeSha256Before', 'cscListAfter', 'cscListBefore', 'csc', 'dryRun', 'forced', 'host', 'hostState', 'localUser', 'outcome', 'planId', 'production', 'remoteUser', 'service', 'summary', 'v', 'verification'].sort(),
    );
    assert.equal(r.at, '2026-11-24T23:41:00.000Z');
    assert.deepEqual([r.localUser, r.remoteUser, r.host, r.service, r.action, r.dryRun, r.outcome], ['alice', 'salkafka', 'azar2-test', 'salkafka-m2', 'add-csc', false, 'applied']);
    assert.deepEqual(r.commands.map((c) => c.exitCode), [0]);
    assert.deepEqual(r.cscListAfter, ['MTRotator', 'MTHexapod', 'MTM2', 'MTDome']);
    const line = auditLine(r);
    assert.equal(line.indexOf('\n'), line.length - 1, 'one line, newline-terminated');
    assert.deepEqual(parseAuditLog(line + 'garbage\n' + line).records.length, 2);
    assert.deepEqual(parseAuditLog(line + 'garbage\n').badLines, [2]);
    assert.match(formatAuditRecord(r), /alice→salkafka@azar2-test add-csc salkafka-m2: applied\. CSC_LIST: "MTRotator MTHexapod MTM2" → "MTRotator MTHexapod MTM2 MTDome"/);
  });

  it('dry run is flagged; hostile text in fields stays on one line', () => {
    const plan = planLifecycle(ctx(), 'restart', 'salkafka-m2');
    const r = buildAuditRecord(plan, { ...applied(plan.id, ''), status: 'dry-run', hostState: 'line1\nline2 "q" $(id)' }, undefined, { localUser: 'a\nb', remoteUser: 'x' });
    assert.equal(r.dryRun, true);
    assert.equal(auditLine(r).split('\n').length, 2);
    assert.equal(parseAuditLog(auditLine(r)).records[0].hostState, 'line1\nline2 "q" $(id)');
  });

  it('lives beside the compose file unless the setting says otherwise', () => {
    assert.equal(auditLogPath(COMPOSE_PATH), `${DIR}/salkafka-audit.jsonl`);
    assert.equal(auditLogPath(COMPOSE_PATH, 'logs/a.jsonl'), `${DIR}/logs/a.jsonl`);
    assert.equal(auditLogPath(COMPOSE_PATH, '/var/log/a.jsonl'), '/var/log/a.jsonl');
  });
});

describe('announcement text', () => {
  it('says what, where, when, impact and how to roll back, before and after', () => {
    const plan = planAddCsc(ctx(), 'salkafka-m2', 'MTDome');
    const before = announcementText(plan, { user: 'alice' });
    assert.match(before, /^\[EFD change planned\] Add MTDome to salkafka-m2 on azar2-test \(dev domain 12\)$/m);
    assert.match(before, /^When: 2026-11-24 23:40 UTC — by alice$/m);
    assert.match(before, /^Where: azar2-test, service salkafka-m2, \/deploy-lsst/m);
    assert.match(before, /^CSC_LIST: MTRotator MTHexapod MTM2 → MTRotator MTHexapod MTM2 MTDome$/m);
    assert.match(before, /^How: docker-compose -f .* up -d --no-deps -t 30 salkafka-m2$/m);
    assert.match(before, /^Impact: salkafka-m2 is recreated: a gap of a few seconds in the EFD for MTRotator MTHexapod MTM2\.$/m);
    assert.match(before, /^Roll back: .*Roll Back Compose File/m);
    const after = announcementText(plan, { result: applied(plan.id, plan.commands[0].display), verify: { container: 'c', ok: true, checks: [], summary: 'PASS c', logLinesExamined: 1, errorLines: [], elapsedMs: 1 } });
    assert.match(after, /^\[EFD change done\]/);
    assert.match(after, /^Outcome: applied, verification PASSED/m);
    const prod = announcementText(planLifecycle(ctx({ host: { alias: 'azar2' } }), 'stop', 'salkafka-m2'));
    assert.match(prod, /\(PRODUCTION\)/);
    assert.match(prod, /NO EFD data for MTRotator MTHexapod MTM2/);
  });
});

describe('audit events (housekeeping lines in the same log)', () => {
  it('a break-lock line parses beside change records and formats without the change fields', () => {
    const ev = auditEventLine({
      v: 1, at: '2026-11-26T01:02:03.000Z', action: 'break-lock', localUser: 'bob', remoteUser: 'salkafka', host: 'azar2',
      summary: 'broke the stale host lock (alice: Add MTMount to salkafka-mt)', previousHolder: { pid: 7, holder: { user: 'alice' } },
    });
    assert.ok(ev.endsWith('\n') && !ev.slice(0, -1).includes('\n'));
    const log = parseAuditLog(ev + ev);
    assert.equal(log.records.length, 2);
    assert.deepEqual(log.badLines, []);
    assert.equal(formatAuditRecord(log.records[0]), '2026-11-26T01:02:03.000Z bob→salkafka@azar2 break-lock: broke the stale host lock (alice: Add MTMount to salkafka-mt)');
  });

  it('a prune line lists the removed backups', () => {
    const line = auditEventLine({ v: 1, at: '2026-11-26T01:02:03.000Z', action: 'prune-backups', localUser: 'bob', remoteUser: 'salkafka', host: 'azar2', summary: 'removed 1 older', paths: ['/d/a.bak'] });
    assert.match(formatAuditRecord(parseAuditLog(line).records[0]), /prune-backups: removed 1 older \[\/d\/a\.bak\]$/);
  });
});
