// One command = one small module: what it does with the ops service and the optional first
// argument (a tree row, or {service, csc, …} from tests and links; see commandArg.ts). Its id
// is its key in OPS_COMMANDS (index.ts) and its entry in registry.ts.
import type { OpsService } from '../ops/opsService';

export interface OpsCommand {
  run(ops: OpsService, arg: unknown): Promise<unknown>;
}
