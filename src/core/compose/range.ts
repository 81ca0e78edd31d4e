/** A span of a document's text, as character offsets [start, end). Its own module so the limits and the model can share it. */
export interface Range {
  start: number;
  end: number;
}
