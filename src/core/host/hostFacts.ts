// Gathers the facts chooseTransport decides on, from this machine: does a path exist, does the
// Docker socket answer a ping, does a host name resolve to one of our own addresses.
import { lookup } from 'node:dns/promises';
import { access } from 'node:fs/promises';
import * as os from 'node:os';
import { connectDockerSocket } from './local/localDocker';

export async function fileExists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

/** True when something accepts connections on the socket (permission problems count as "no"). */
export async function dockerSocketAnswers(socketPath: string): Promise<boolean> {
  try {
    const s = await connectDockerSocket('this machine', socketPath);
    s.destroy();
    return true;
  } catch {
    return false;
  }
}

/** Whether hostName names this machine: its own name, or an address of one of its interfaces. */
export async function isThisMachine(hostName: string, jumpHosts: number): Promise<boolean> {
  // Through a jump host, even a loopback name means the jump host's loopback, not ours.
  if (jumpHosts > 0) return false;
  const name = hostName.toLowerCase();
  const mine = os.hostname().toLowerCase();
  // `azar2.cp.lsst.org` on a machine whose hostname is the short `azar2` (or the other way round).
  if (name === mine || (!mine.includes('.') && name.split('.')[0] === mine) || (!name.includes('.') && mine.split('.')[0] === name)) return true;
  const own = new Set<string>(['127.0.0.1', '::1']);
  for (const addrs of Object.values(os.networkInterfaces())) for (const a of addrs ?? []) own.add(a.address);
  try {
    const found = await lookup(hostName, { all: true });
    return found.length > 0 && found.every((a) => own.has(a.address) || a.address.startsWith('127.'));
  } catch {
    return false;
  }
}
