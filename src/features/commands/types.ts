// One command = one small module: its id and what it does with the ops service and the
// optional first argument (a tree node, or {service, csc, …} from tests and links).
import type { OpsService } from '../ops/opsService';

export interface OpsCommand {
  id: string;
  run(ops: OpsService, arg: unknown): Promise<unknown>;
}
