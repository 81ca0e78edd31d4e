import { strict as assert } from 'assert';
import { checkDockerAccess, explainDockerProblem, parseDiagnosis } from '../../../src/core/docker/dockerAccess';
import type { DockerAccessHost } from '../../../src/core/docker/dockerAccess';

const SOCK = '/var/run/docker.sock';

describe('docker access diagnosis', () => {
  it('not installed', () => {
    const r = explainDockerProblem('azar2', SOCK, { docker: 'no', sock: 'no' }, 'x');
    assert.equal(r.problem, 'not-installed');
    assert.equal(r.message, 'docker is not installed on azar2 (no docker command and no /var/run/docker.sock)');
  });
  it('daemon not running: no socket, or a socket nobody answers on', () => {
    assert.equal(explainDockerProblem('azar2', SOCK, { docker: 'yes', sock: 'no' }, 'x').message, 'the Docker daemon is not running on azar2 (/var/run/docker.sock does not exist)');
    const stale = explainDockerProblem('azar2', SOCK, { docker: 'yes', sock: 'yes', access: 'yes' }, 'connect failed');
    assert.equal(stale.problem, 'daemon-not-running');
    assert.match(stale.message, /nothing answers on \/var\/run\/docker.sock: connect failed/);
  });
  it('not in the docker group', () => {
    const f = parseDiagnosis('user=nodocker\ngroups=nodocker users\ndocker=yes\nsock=yes\nsockgroup=docker\nsockmode=660\naccess=no\n');
    const r = explainDockerProblem('azar2', SOCK, f, 'x');
    assert.equal(r.problem, 'permission-denied');
    assert.match(r.message, /^user nodocker is not in group docker on azar2 \(permission denied on \/var\/run\/docker.sock\)/);
  });
  it('in the group but still denied (e.g. socket mode 600)', () => {
    const f = parseDiagnosis('user=bob\ngroups=bob docker\nsock=yes\nsockgroup=docker\nsockmode=600\naccess=no\n');
    assert.match(explainDockerProblem('azar2', SOCK, f, 'x').message, /user bob cannot open \/var\/run\/docker.sock on azar2 \(permission denied; socket mode 600/);
  });
  it('checkDockerAccess: ok path does not run the diagnosis; failure path passes the socket as a quoted argument', async () => {
    const calls: string[][] = [];
    const okHost: DockerAccessHost = {
      alias: 'azar2',
      docker: () => ({ version: async () => ({ Version: '20.10.24', ApiVersion: '1.41' }) }) as never,
      exec: async (argv) => {
        calls.push([...argv]);
        return { code: 0, signal: null, stdout: '', stderr: '' };
      },
    };
    assert.deepEqual(await checkDockerAccess(okHost), { ok: true, serverVersion: '20.10.24', apiVersion: '1.41' });
    assert.equal(calls.length, 0);
    const badHost: DockerAccessHost = {
      ...okHost,
      docker: () => ({ version: async () => { throw new Error('open failed'); } }) as never,
      exec: async (argv) => {
        calls.push([...argv]);
        return { code: 0, signal: null, stdout: 'user=u\ngroups=u\ndocker=yes\nsock=yes\nsockgroup=docker\naccess=no\n', stderr: '' };
      },
    };
    const r = await checkDockerAccess(badHost);
    assert.equal(r.ok, false);
    assert.equal(calls[0][0], 'sh');
    assert.equal(calls[0][calls[0].length - 1], SOCK);
  });
});
