import type { Document } from 'yaml';
import type { LimitHit } from '../compose/analysisLimits';
import type { ComposeModel, Range, ServiceModel } from '../compose/model';

/** Which file a value came from: the one being checked, or the values.yaml it is merged over. */
export type ValuesOrigin = 'self' | 'base';

/** One producer Deployment of the kafka-producers chart (`producers.<name>`). */
export interface ValuesProducer {
  name: string;
  /** The `<name>:` key in the checked file; undefined when only the base file defines it. */
  nameRange?: Range;
  /** Where `cscs` came from; undefined when no layer sets it (the chart default applies). */
  cscsOrigin?: ValuesOrigin;
  /** Where `image.tag` came from (producer override or chart-wide). */
  imageOrigin?: ValuesOrigin;
  /** The producer sets its own `image.tag` (a change of the chart-wide tag does not move it). */
  ownImageTag?: boolean;
  /**
   * The producer as the compose rules see it: `CSC_LIST` from `cscs`, the environment the
   * chart's deployment template sets, `image` = repository:tag. Ranges are offsets into
   * ValuesModel.model.text (the checked file, then a newline, then the base file).
   */
  service: ServiceModel;
}

export interface ValuesModel {
  kind: 'helmValues';
  /** The checked file's text; every range below `selfLength` is in it. */
  text: string;
  selfLength: number;
  /** Offset of the base file's text inside model.text (selfLength + 1), when there is one. */
  baseOffset?: number;
  basePath?: string;
  doc: Document.Parsed;
  producers: ValuesProducer[];
  /** The merge/alias budget of the file or its base ran out: what was read is incomplete (range in the checked file). */
  limit?: LimitHit;
  /** Compose-shaped view for the shared CSC rules; model.text = self + '\n' + base. */
  model: ComposeModel;
}

export const inSelf = (m: ValuesModel, r: Range): boolean => r.end <= m.selfLength;
