// The guided questions of "New Development Producer…": quick picks and input boxes through the
// Prompter (so extension-host tests answer them), each validated before the next; undefined as
// soon as one is dismissed. The answers become a core DevRequest.
import type { DevRequest } from '../../core/devProducers/provision';
import type { Prompter } from '../ops/prompter';

export interface DevRequestFacts {
  /** Component names of the image's own ts_xml (or the catalogue in force when it cannot be read). */
  cscNames: ReadonlySet<string>;
  /** Where the names came from, for the prompt ("ts_xml 20.1.0 in salkafka:c0021"). */
  cscSource: string;
  /** The production producers' image as interpolated (its tag is the default). */
  productionImage: string;
  /** Does the host have this image (repository:tag)? */
  hasImage(image: string): Promise<boolean>;
  /** Domains production producers use (not offered as development domains). */
  productionDomains: ReadonlySet<number>;
  today: string;
}

const day = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export async function askDevRequest(p: Prompter, facts: DevRequestFacts, preset: Partial<DevRequest> = {}): Promise<DevRequest | undefined> {
  const title = 'New Development Producer';
  const domainText = preset.domainId !== undefined ? String(preset.domainId) : await p.input({
    title: `${title} (1/7): DDS domain`,
    prompt: 'LSST_DDS_DOMAIN_ID the components in integration run on (not 0: that is production)',
    placeHolder: '7',
    validate: (v) => (!/^\d{1,3}$/.test(v) ? 'a domain ID, 1–232' : v === '0' ? 'domain 0 is production: a development producer runs elsewhere' : Number(v) > 232 ? 'DDS domain IDs go up to 232' : facts.productionDomains.has(Number(v)) ? `production producers run on domain ${v}` : undefined),
  });
  if (domainText === undefined) return undefined;
  const cscText = preset.cscs ? preset.cscs.join(' ') : await p.input({
    title: `${title} (2/7): CSCs`,
    prompt: `Components on domain ${domainText}, separated by spaces (names from ${facts.cscSource})`,
    placeHolder: 'MTM2',
    validate: (v) => {
      const words = v.split(/\s+/).filter(Boolean);
      if (!words.length) return 'at least one CSC';
      const bad = words.filter((w) => !/^[A-Za-z][A-Za-z0-9]*(:\d+)?$/.test(w) || !facts.cscNames.has(w.split(':')[0]));
      return bad.length ? `not in ${facts.cscSource}: ${bad.join(', ')}` : undefined;
    },
  });
  if (cscText === undefined) return undefined;
  const purpose = preset.purpose ?? (await p.input({
    title: `${title} (3/7): purpose`,
    prompt: 'One short word for the activity; names the service (salkafka-<purpose>) and the file (docker-compose-<purpose>.yaml)',
    value: cscText.split(/\s+/)[0].toLowerCase().replace(/[^a-z0-9-]/g, ''),
    validate: (v) => (/^[a-z0-9][a-z0-9-]{0,30}$/.test(v) ? undefined : 'lower-case letters, digits and -'),
  }));
  if (purpose === undefined) return undefined;
  const owner = preset.owner ?? (await p.input({ title: `${title} (4/7): owner`, prompt: 'Who answers for it (name or user)', validate: (v) => (/^[\w.@ -]{1,60}$/.test(v) ? undefined : 'a name or user') }));
  if (owner === undefined) return undefined;
  const expires = preset.expires ?? (await p.input({
    title: `${title} (5/7): expiry`,
    prompt: 'Until when (YYYY-MM-DD, UTC); it is flagged as expired after that day',
    value: day(facts.today, 14),
    validate: (v) => (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)) ? 'a date YYYY-MM-DD' : v < facts.today ? 'a date in the past' : undefined),
  }));
  if (expires === undefined) return undefined;
  let imageTag = preset.imageTag;
  if (!('imageTag' in preset)) {
    const prodTag = /:([^:/@]+)$/.exec(facts.productionImage)?.[1] ?? '';
    const present = await facts.hasImage(facts.productionImage);
    const choice = await p.pick({
      title: `${title} (6/7): image`,
      placeHolder: 'The production cycle by default; an off-cycle tag for interfaces newer than production',
      items: [
        { label: `Production image ${facts.productionImage}`, description: present ? 'on the host' : 'not on the host: docker-compose will pull it', tag: undefined as string | undefined },
        { label: 'Another tag…', description: `e.g. an off-cycle build (production: ${prodTag || '?'})`, tag: '' },
      ],
    });
    if (!choice) return undefined;
    if (choice.tag === '') {
      const tag = await p.input({ title: `${title}: image tag`, prompt: 'Tag of the same image repository', validate: (v) => (/^[\w][\w.-]{0,127}$/.test(v) ? undefined : 'an image tag') });
      if (tag === undefined) return undefined;
      imageTag = tag;
    }
  }
  let target = preset.target;
  let opensplice = preset.opensplice;
  if (!target || !opensplice) {
    const where = await p.pick({
      title: `${title} (7/7): where and how`,
      placeHolder: 'Its own file beside the main one is how the summit ran salkafka-eas',
      items: [
        { label: `docker-compose-${purpose}.yaml, shared memory`, description: 'own file; attaches to the domain\'s OpenSplice daemon (planned when missing)', target: 'own-file' as const, opensplice: 'shared-memory' as const },
        { label: `docker-compose-${purpose}.yaml, OpenSplice as production`, description: 'own file; the production producers\' OpenSplice setup', target: 'own-file' as const, opensplice: 'as-production' as const },
        { label: 'The main compose file, shared memory', description: 'appended to its services', target: 'main-file' as const, opensplice: 'shared-memory' as const },
      ],
    });
    if (!where) return undefined;
    target = where.target;
    opensplice = where.opensplice;
  }
  const idl = preset.idlDir ?? (await p.input({ title: `${title}: development IDL directory (optional)`, prompt: 'A host directory with IDL files for interfaces not in the cycle build, or empty', value: '', validate: (v) => (v === '' || /^(\/|\$\{?\w+\}?)[^\s:'"`]*$/.test(v) ? undefined : 'an absolute path or ${VAR}, no spaces or colons') }));
  if (idl === undefined) return undefined;
  return {
    domainId: Number(domainText),
    cscs: cscText.split(/\s+/).filter(Boolean),
    purpose,
    owner,
    expires,
    ...(imageTag ? { imageTag } : {}),
    ...(idl ? { idlDir: idl } : {}),
    target,
    opensplice,
  };
}
