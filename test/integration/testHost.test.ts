// Proves the local test host (test/host/up.sh) is what the other integration tests rely on:
// the baseline containers over a real ssh, the simulator's log grammar and queue warnings,
// its refusal of unknown CSCs, and docker socket permissions.
import { strict as assert } from 'assert';
import {
  TestHostInfo,
  containerLogs,
  ensureTestHost,
  hostExec,
  hostRequired,
  logLineCount,
  setLoad,
  shellQuote,
  sshExec,
  waitForLogLine,
} from './testHost';

const SEQ_LINE = /^seq=(\d+) (.*)$/;
const RECORD = /^(DEBUG|INFO|WARNING|ERROR|CRITICAL):([^:]+(?::\d+)?):(.*)$/;

/** Sequence numbers of every line of a log; throws on a line without the seq prefix. */
function seqNumbers(log: string): number[] {
  return log
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const m = SEQ_LINE.exec(l);
      assert.ok(m, `line without seq prefix: ${JSON.stringify(l)}`);
      return Number(m[1]);
    });
}

describe('local test host (test/host/up.sh)', function () {
  this.timeout(180_000);
  let info: TestHostInfo;

  before(async function () {
    try {
      info = await ensureTestHost();
    } catch (err) {
      if (hostRequired()) throw err;
      console.warn(`\n  !!! SKIPPING local test host suite: ${(err as Error).message}\n`);
      this.skip();
    }
  });

  it('host.json is complete and its fingerprint is the one in known_hosts', async () => {
    assert.equal(info.host, '127.0.0.1');
    assert.equal(info.port, 2222);
    assert.equal(info.user, 'salkafka');
    assert.equal(info.noDockerUser, 'nodocker');
    assert.equal(info.composeFile, '/deploy-lsst/docker-compose-ops/kafka_writers/docker-compose.yaml');
    assert.match(info.hostKeyFingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
    const kh = await hostExec(`cat ${shellQuote(info.knownHostsFile)}`);
    assert.match(kh.stdout, /^\[127\.0\.0\.1\]:2222 ssh-ed25519 AAAA[A-Za-z0-9+/=]+\n$/);
    const fp = await hostExec(`ssh-keygen -lf ${shellQuote(info.knownHostsFile)}`);
    assert.equal(fp.code, 0, fp.stderr);
    assert.equal(fp.stdout.split(' ')[1], info.hostKeyFingerprint);
  });

  it('over ssh: m2/at running, eas exited, calib not created, orphan present', async () => {
    const r = await sshExec(info, "docker ps -a --format '{{.Names}} {{.State}}'");
    assert.equal(r.code, 0, r.stderr);
    const states = new Map(r.stdout.trim().split('\n').map((l) => l.split(' ') as [string, string]));
    assert.equal(states.get('salkafka-m2'), 'running');
    assert.equal(states.get('salkafka-at'), 'running');
    assert.equal(states.get('salkafka-eas'), 'exited');
    assert.equal(states.has('salkafka-calib'), false, 'salkafka-calib must be defined but not created');
    assert.equal(states.get('salkafka-orphan'), 'running');
    const labels = await hostExec(
      "docker inspect -f '{{index .Config.Labels \"com.docker.compose.service\"}}' salkafka-m2 salkafka-orphan",
    );
    assert.deepEqual(labels.stdout.replace(/\n$/, '').split('\n'), ['salkafka-m2', ''], 'orphan must not belong to compose');
  });

  it('the compose file is the real shape and salkafka owns it', async () => {
    const r = await sshExec(info, `cat ${info.composeFile}; test -w ${shellQuote(info.composeFile.replace(/\/[^/]+$/, ''))} && echo WRITABLE`);
    assert.equal(r.code, 0, r.stderr);
    for (const s of ['salkafka-m2', 'salkafka-at', 'salkafka-eas', 'salkafka-calib']) {
      assert.match(r.stdout, new RegExp(`\\n  ${s}:\\n[\\s\\S]*?container_name: ${s}\\n`));
    }
    assert.match(r.stdout, /- CSC_LIST=MTRotator MTHexapod MTM2\n/);
    assert.match(r.stdout, /run_salkafka_producer\.py --broker \$\$BROKER_IP:\$\$BROKER_PORT --registry \$\$REGISTRY_ADDR/);
    assert.match(r.stdout, /\nWRITABLE\n$/);
  });

  it('producer log: Running, every line seq-prefixed, seq strictly +1 from 1 in each run', async () => {
    await waitForLogLine('salkafka-m2', /^seq=\d+ INFO:salkafka:Running$/);
    const lines = (await containerLogs('salkafka-m2')).split('\n').filter((l) => l !== '');
    const seqs = seqNumbers(lines.join('\n'));
    // A restarted container (another suite may `docker restart` it) holds several runs, each from 1.
    const runStarts = seqs.flatMap((n, i) => (n === 1 ? [i] : []));
    assert.equal(runStarts[0], 0, 'the log starts with seq=1');
    seqs.forEach((n, i) => assert.ok(n === 1 || n === seqs[i - 1] + 1, `line ${i + 1}: seq=${n} after seq=${seqs[i - 1]}`));
    const lastRun = lines.slice(runStarts[runStarts.length - 1]);
    assert.ok(lastRun.length >= 6, `too few lines: ${lastRun.join('\n')}`);
    assert.deepEqual(lastRun.slice(0, 6), [
      'seq=1 INFO:salkafka:Creating producers',
      'seq=2 INFO:salkafka.MTRotator:Created producer for MTRotator: 3 topics',
      'seq=3 INFO:salkafka.MTHexapod:Created producer for MTHexapod: 3 topics',
      'seq=4 INFO:salkafka.MTM2:Created producer for MTM2: 4 topics',
      'seq=5 INFO:salkafka:Waiting for producers to start',
      'seq=6 INFO:salkafka:Running',
    ]);
    for (const l of lines) assert.match(SEQ_LINE.exec(l)![2], RECORD);
  });

  it('load 100 on one topic logs the exact QueueCapacityChecker lines; re-arms after draining', async function () {
    this.timeout(120_000);
    const before = await logLineCount('salkafka-at');
    const full = 'ERROR:salkafka.ATDome:position DDS read queue is full (100 elements); data may be lost';
    try {
      await setLoad('salkafka-at', ['* * 2', 'ATDome position 100']);
      await waitForLogLine('salkafka-at', new RegExp(`^seq=\\d+ ${full.replace(/[().;]/g, '\\$&')}$`), 30_000, before);
      await setLoad('salkafka-at', ['* * 0']);
      await new Promise((r) => setTimeout(r, 8_000)); // drains 100 -> 0 at 20 per 1 s tick
      await setLoad('salkafka-at', ['ATDome position 100']);
      const deadline = Date.now() + 30_000;
      let fullLines: string[] = [];
      while (Date.now() < deadline && fullLines.length < 2) {
        const lines = (await containerLogs('salkafka-at')).split('\n').slice(before);
        fullLines = lines.filter((l) => l.endsWith(` ${full}`));
        await new Promise((r) => setTimeout(r, 500));
      }
      assert.equal(fullLines.length, 2, 'the full error must re-arm after the queue drains');
      const ours = (await containerLogs('salkafka-at')).split('\n').slice(before).map((l) => SEQ_LINE.exec(l)?.[2] ?? l);
      const warnings = ours.filter((l) => l.startsWith('WARNING:'));
      assert.ok(warnings.length >= 2, `expected filling warnings, got ${JSON.stringify(warnings)}`);
      for (const w of warnings) {
        const m = /^WARNING:salkafka\.ATDome:position DDS read queue is filling: (\d+) of 100 elements$/.exec(w);
        assert.ok(m, `unexpected warning ${w}`);
        assert.ok(Number(m[1]) >= 10 && Number(m[1]) < 100);
      }
      assert.ok(!ours.some((l) => /ATAOS|ATMCS/.test(l) && /WARNING|ERROR/.test(l)), 'other CSCs stay quiet');
    } finally {
      await setLoad('salkafka-at', ['* * 2']);
    }
  });

  it('the simulator refuses unknown/retired CSCs and missing required flags', async () => {
    const run = (args: string) =>
      hostExec(`docker run --rm --network none ${info.image} run_salkafka_producer.py ${args}`, { timeoutMs: 60_000 });
    const unknown = await run('--broker k:9094 --registry http://r:8081 MTRotator NoSuchCSC');
    assert.equal(unknown.code, 1, unknown.stderr);
    assert.match(unknown.stderr, /^seq=1 INFO:salkafka:Creating producers\nseq=2 INFO:salkafka\.MTRotator:Created producer for MTRotator: 3 topics\nseq=3 ERROR:salkafka\.NoSuchCSC:Unknown SAL component NoSuchCSC: not in the SAL catalogue of this image\n$/);
    const retired = await run('--broker k:9094 --registry http://r:8081 ATArchiver');
    assert.equal(retired.code, 1);
    assert.match(retired.stderr, /ERROR:salkafka\.ATArchiver:Unknown SAL component ATArchiver: retired from ts_xml/);
    const badIndex = await run('--broker k:9094 --registry http://r:8081 MTRotator:2');
    assert.equal(badIndex.code, 1);
    assert.match(badIndex.stderr, /Index=2 must be 0 or None; MTRotator is not an indexed SAL component/);
    const noFlags = await run('MTRotator');
    assert.equal(noFlags.code, 2);
    assert.match(noFlags.stderr, /^seq=1 usage: run_salkafka_producer\.py .*\nseq=2 run_salkafka_producer\.py: error: You must specify --broker and --registry unless you use --show-schema or --validate\n$/);
    const badAck = await run('--broker k:1 --registry http://r --wait-ack 2 MTRotator');
    assert.equal(badAck.code, 2);
    assert.match(badAck.stderr, /invalid choice: '2' \(choose from '0', '1', 'all'\)/);
  });

  it('an unknown CSC under a restart policy gives a restart loop; every run restarts at seq=1', async () => {
    const name = `salkafka-badcsc-${process.pid}`;
    try {
      const r = await hostExec(
        `docker run -d --name ${name} --network none --restart unless-stopped ${info.image} ` +
          `sh -c 'run_salkafka_producer.py --broker k:1 --registry http://r ESS:1 NoSuchCSC'`,
      );
      assert.equal(r.code, 0, r.stderr);
      const deadline = Date.now() + 30_000;
      let runs = 0;
      while (Date.now() < deadline && runs < 2) {
        runs = (await containerLogs(name)).split('\n').filter((l) => l === 'seq=1 INFO:salkafka:Creating producers').length;
        await new Promise((res) => setTimeout(res, 500));
      }
      assert.ok(runs >= 2, `expected at least 2 runs in the log, saw ${runs}`);
      // (State.ExitCode is not asserted: docker clears it while the container is restarting.)
      const st = await hostExec(`docker inspect -f '{{.RestartCount}}' ${name}`);
      assert.ok(Number(st.stdout.trim()) >= 1, `RestartCount ${st.stdout}`);
    } finally {
      await hostExec(`docker rm -f ${name}`);
    }
  });

  it('nodocker (not in group docker) gets permission denied on /var/run/docker.sock', async () => {
    const r = await sshExec(info, 'docker ps', { noDocker: true });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /permission denied/i);
    assert.match(r.stderr, /\/var\/run\/docker\.sock/);
    const ok = await sshExec(info, 'id -nG', { noDocker: true });
    assert.equal(ok.code, 0, 'nodocker can log in');
    assert.ok(!ok.stdout.split(/\s+/).includes('docker'));
  });
});
