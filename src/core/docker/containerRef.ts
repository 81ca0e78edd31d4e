// The one way to name a container in a Docker API request. dockerode puts the name into the
// request path (/containers/<name>/json), so a container_name from a compose file such as
// "../../images/x" or "a?b" would address another endpoint; the name is validated first (the
// same rule as for command lines, src/core/remote/names.ts) and a bad one never reaches Docker.
import type Dockerode from 'dockerode';
import { validateContainerName } from '../remote/names';

/** Full or short hexadecimal container id, as `docker ps` lists them. */
export const CONTAINER_ID_RE = /^[0-9a-f]{12,64}$/;

/** Throws InvalidNameError (with a message for the user) unless `nameOrId` is a valid name or id. */
export function checkContainerRef(nameOrId: string): string {
  return typeof nameOrId === 'string' && CONTAINER_ID_RE.test(nameOrId) ? nameOrId : validateContainerName(nameOrId);
}

/** docker.getContainer() for a checked name or id. */
export function containerRef(docker: Dockerode, nameOrId: string): Dockerode.Container {
  return docker.getContainer(checkContainerRef(nameOrId));
}
