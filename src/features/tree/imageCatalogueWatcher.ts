// Connected: the catalogue in force for a producer is its image's own SALSubsystems.xml.
// Reads it once per image ID (core ImageCatalogues) for every image the producers use, then
// tells the editor (diagnostics, hover, completion) and the producers view.
import * as vscode from 'vscode';
import { defaultHistory } from '../../core/catalogue/defaultCatalogue';
import { ImageCatalogues } from '../../core/catalogue/imageCatalogues';
import type { ImageCatalogueLookup } from '../../core/catalogue/producerRelease';
import type { Producer } from '../../core/producers/producerTypes';
import type { ProducersSession } from './producersSession';

export class ImageCatalogueWatcher implements vscode.Disposable {
  private readonly cache = new ImageCatalogues(defaultHistory());
  /** Image references asked for on this connection (a failure is not retried until reconnect). */
  private readonly asked = new Set<string>();
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly subscription: vscode.Disposable;
  private connected = false;

  constructor(
    private readonly session: ProducersSession,
    private readonly publish: (lookup: ImageCatalogueLookup | undefined) => void,
  ) {
    this.subscription = session.onDidChange(() => this.update());
    this.update();
  }

  /** "ts_xml 7.1.0 from image", or why the image's catalogue could not be read. */
  describe(p: Producer): { text?: string; detail?: string } {
    const ref = p.image ?? p.composeImage;
    const r = ref ? this.cache.result(ref) : undefined;
    if (!r) return {};
    return r.ok ? { text: `${r.label} from image`, detail: `${r.label}, read from ${r.path} in the image (${[...r.catalogue.components].length} components)` } : { detail: r.error };
  }

  private update(): void {
    const docker = this.session.hostState === 'connected' ? this.session.docker() : undefined;
    if (!docker) {
      if (this.connected) {
        this.connected = false;
        this.asked.clear();
        this.cache.forgetReferences(); // a tag may point elsewhere after a reconnect
        this.publish(undefined);
      }
      return;
    }
    this.connected = true;
    const status = this.session.status;
    if (status.kind !== 'ready') return;
    const refs = new Set(status.snapshot.producers.flatMap((p) => [p.image, p.composeImage]).filter((r): r is string => !!r));
    for (const ref of refs) {
      if (this.asked.has(ref)) continue;
      this.asked.add(ref);
      void this.cache.read(docker, ref).then((r) => {
        if (!r.ok) this.session.log.info(`catalogue of ${ref}: ${r.error}`);
        this.publish((image) => this.cache.lookup(image));
        this.emitter.fire();
      });
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
