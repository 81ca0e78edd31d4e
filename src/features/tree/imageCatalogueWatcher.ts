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
  private readonly cache: ImageCatalogues;
  /** Last result shown per image reference (a failure is logged once, not on every refresh). */
  private readonly reported = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly subscription: vscode.Disposable;
  private connected = false;
  /** One refresh at a time; a change meanwhile asks for one more. */
  private running = false;
  private again = false;

  constructor(
    private readonly session: ProducersSession,
    owner: string,
    private readonly publish: (lookup: ImageCatalogueLookup | undefined) => void,
  ) {
    this.cache = new ImageCatalogues(defaultHistory(), { owner });
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
        this.reported.clear();
        this.cache.forgetReferences(); // a tag may point elsewhere after a reconnect
        this.publish(undefined);
      }
      return;
    }
    this.connected = true;
    const status = this.session.status;
    if (status.kind !== 'ready') return;
    const refs = new Set(status.snapshot.producers.flatMap((p) => [p.image, p.composeImage]).filter((r): r is string => !!r));
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    // Every change of the producers (Docker events: a container re-created after a pull, …)
    // looks again at the image ID behind each tag: one inspect per image, and a read only for
    // an ID not read yet, so a retagged image gets its own catalogue at once.
    void this.cache
      .refresh(docker, refs)
      .then((changed) => {
        for (const ref of changed) {
          const r = this.cache.result(ref);
          const text = r && !r.ok ? r.error : '';
          if (text && this.reported.get(ref) !== text) this.session.log.info(`catalogue of ${ref}: ${text}`);
          this.reported.set(ref, text);
        }
        if (changed.length) {
          this.publish((image) => this.cache.lookup(image));
          this.emitter.fire();
        }
      })
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.update();
        }
      });
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
