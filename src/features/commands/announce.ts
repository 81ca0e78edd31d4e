import type { OpsCommand } from './types';

export const announce: OpsCommand = {
  id: 'efdSalkafka.announce',
  run: (ops) => ops.copyAnnouncement(),
};
