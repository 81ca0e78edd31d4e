// Reads the one regular file out of a tar stream, as Docker's archive endpoint
// (GET /containers/{id}/archive, what `docker cp` uses) returns it for a file path.
// ustar and GNU headers; pax ('x', 'g') and GNU long-name ('L') records are honoured
// for the name and otherwise skipped.

export interface TarFile {
  name: string;
  content: Buffer;
}

function octal(buf: Buffer, start: number, length: number): number {
  const text = buf.subarray(start, start + length).toString('latin1').replace(/\0.*$/s, '').trim();
  return text ? parseInt(text, 8) : 0;
}

function cString(buf: Buffer, start: number, length: number): string {
  const raw = buf.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
}

/** The first regular file in `tar`, or undefined when there is none. Throws on a truncated archive. */
export function firstFileInTar(tar: Buffer): TarFile | undefined {
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= tar.length) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) return undefined; // end of archive
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 48); // NUL means a regular file too
    const dataStart = off + 512;
    const dataEnd = dataStart + size;
    if (dataEnd > tar.length) throw new Error(`truncated tar archive (${tar.length} bytes, entry needs ${dataEnd})`);
    const data = tar.subarray(dataStart, dataEnd);
    if (type === 'L') longName = cString(data, 0, data.length);
    else if (type === 'x') {
      const path = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
      if (path) longName = path[1];
    } else if (type === '0' || type === '7') {
      const prefix = cString(header, 345, 155);
      const name = longName ?? (prefix ? `${prefix}/${cString(header, 0, 100)}` : cString(header, 0, 100));
      return { name, content: Buffer.from(data) };
    } else longName = undefined;
    off = dataStart + Math.ceil(size / 512) * 512;
  }
  return undefined;
}
