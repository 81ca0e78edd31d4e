// Refreshes the shipped SAL component catalogue from a sal-components.json
// (default: ../shared/data/sal-components.json). Run it when ts_xml changes.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const from = resolve(process.argv[2] ?? '../shared/data/sal-components.json');
const data = JSON.parse(readFileSync(from, 'utf8'));
if (!Array.isArray(data.components) || !Array.isArray(data.retired)) {
  throw new Error(`${from}: expected "components" and "retired" arrays`);
}
writeFileSync('src/core/catalogue/sal-components.json', JSON.stringify(data, null, 1) + '\n');
console.log(`catalogue: ${data.components.length} components, ${data.retired.length} retired (from ${from})`);
