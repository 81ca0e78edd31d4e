import type { OpsCommand } from './types';

export const announce: OpsCommand = {
  run: (ops) => ops.copyAnnouncement(),
};
