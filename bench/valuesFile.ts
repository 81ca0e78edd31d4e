// Generated Argo CD kafka-producers values files of any size, for bench/validateValues.ts and the
// scale tests (test/unit/values/valuesScale.test.ts). Each producer reads its own DDS partition, so
// the CSCs they share are not double writes: a clean file, whatever its size.
import { defaultCatalogue } from '../src/core/catalogue/defaultCatalogue';

export interface ValuesFileOptions {
  /** cscs of producer i (default: three real, unindexed names). */
  cscs?: (i: number) => string;
  /** cscs of the last producer instead. */
  lastCscs?: string;
}

export function manyProducersValues(n: number, o: ValuesFileOptions): string {
  const names = [...defaultCatalogue().components].map((c) => c.name);
  const pick = (i: number) => `${names[i % names.length]} ${names[(i + 7) % names.length]} ${names[(i + 19) % names.length]}`;
  const lines = [
    'image:',
    '  repository: lsstts/salkafka',
    '  tag: c0044',
    'env:',
    '  brokerIp: kafka-brokers.sasquatch',
    '  brokerPort: 9092',
    '  registryAddr: http://schema-registry.sasquatch:8081',
    'producers:',
  ];
  for (let i = 0; i < n; i++) {
    const cscs = i === n - 1 && o.lastCscs !== undefined ? o.lastCscs : (o.cscs ?? pick)(i);
    lines.push(`  producer${i}:`, '    cscs: >-', `      ${cscs}`, '    env:', `      lsstDdsPartitionPrefix: part${i}`);
  }
  return `${lines.join('\n')}\n`;
}
