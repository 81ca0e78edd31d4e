/**
 * lsst-ts/argocd-csc keeps the Kubernetes producers' configuration in
 * apps/kafka-producers/values.yaml (chart defaults) and values-<env>.yaml (one per site);
 * lsst-ts/charts (2020) also had values_separate_dds_domain.yaml (its own DDS domain per producer).
 * No YAML parser here: the editor's main bundle uses these before the checker is loaded.
 */
// Exactly the glob below.
const VALUES_PATH = /(^|[\\/])kafka-producers[\\/]values[^\\/]*\.ya?ml$/;

/** Glob of the same files, for document selectors. */
export const VALUES_GLOB = '**/kafka-producers/values*.{yaml,yml}';

export function isValuesPath(path: string): boolean {
  return VALUES_PATH.test(path);
}

/** `values-summit.yaml` (or `values_summit.yaml`) → `summit`; `values.yaml` → undefined (the chart's defaults). */
export function valuesEnvironment(path: string): string | undefined {
  return /(?:^|[\\/])values[-_]([^\\/]+)\.ya?ml$/.exec(path)?.[1];
}
