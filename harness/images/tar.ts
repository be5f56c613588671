// A minimal tar writer and reader: enough for a Docker build context, for the files sixgate puts
// into a container (owned by the image's user), and for one file read back out of a container.
// Written here rather than taking tar-stream, which is only a transitive dependency.
import { SixgateError } from '../errors/index.ts';

interface Owned {
  path: string;
  mode: number;
  /** Owner ids, which Docker applies on extraction. @default 0 */
  uid?: number;
  gid?: number;
}

export interface TarEntry extends Owned {
  content: Buffer;
}

export interface TarDir extends Owned {
  dir: true;
}

export class TarError extends SixgateError {
  constructor(message: string) {
    super('SIXGATE_TAR', `tar: ${message}`, {
      hint: 'a container archive Docker returned could not be read as tar',
    });
  }
}

// The largest value a 7-digit octal field holds; larger ids are written base-256 (GNU), which
// Go's archive/tar (Docker's) reads.
const OCTAL7_MAX = 0o7777777;

function writeId(h: Buffer, offset: number, id: number): void {
  if (id <= OCTAL7_MAX) {
    h.write(`${id.toString(8).padStart(7, '0')}\0`, offset);
    return;
  }
  h[offset] = 0x80;
  h.writeUIntBE(id, offset + 2, 6);
}

interface Header {
  name: string;
  size: number;
  mode: number;
  type: '0' | '5' | 'x';
  uid: number;
  gid: number;
}

function header(o: Header): Buffer {
  const h = Buffer.alloc(512);
  h.write(o.name, 0, 100);
  h.write(`${o.mode.toString(8).padStart(7, '0')}\0`, 100);
  writeId(h, 108, o.uid);
  writeId(h, 116, o.gid);
  h.write(`${o.size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136); // mtime 0: the same content gives the same bytes
  h.write('        ', 148); // checksum placeholder, counted as spaces
  h.write(o.type, 156);
  h.write('ustar\0' + '00', 257);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

const pad = (n: number) => Buffer.alloc((512 - (n % 512)) % 512);

/** A PAX record `<len> path=<value>\n`, where `<len>` counts itself. */
function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body);
  while (String(len).length + Buffer.byteLength(body) !== len)
    len = String(len).length + Buffer.byteLength(body);
  return Buffer.from(`${len}${body}`);
}

/** One entry; a name longer than ustar's 100 bytes goes whole in a PAX header before it. */
function entry(parts: Buffer[], o: Header, content?: Buffer): void {
  if (Buffer.byteLength(o.name) > 100) {
    const pax = paxRecord('path', o.name);
    parts.push(header({ ...o, name: 'PaxHeader', size: pax.length, type: 'x' }), pax);
    parts.push(pad(pax.length));
  }
  parts.push(header(o));
  if (content) parts.push(content, pad(content.length));
}

/**
 * The whole archive in memory. With `parents` (a build context), each file's parent directories
 * are added once, in order, as root's; without it, only the directory entries given are written.
 */
export function tar(
  entries: Array<TarEntry | TarDir>,
  options: { parents?: boolean } = {},
): Buffer {
  const parents = options.parents ?? true;
  const parts: Buffer[] = [];
  const dirs = new Set<string>();
  for (const e of entries) {
    const rel = e.path.replace(/^\/+/, '');
    const ids = { uid: e.uid ?? 0, gid: e.gid ?? 0 };
    if ('dir' in e) {
      const name = rel.endsWith('/') ? rel : `${rel}/`;
      dirs.add(name);
      entry(parts, { name, size: 0, mode: e.mode, type: '5', ...ids });
      continue;
    }
    const segs = rel.split('/');
    for (let i = 1; parents && i < segs.length; i++) {
      const dir = `${segs.slice(0, i).join('/')}/`;
      if (dirs.has(dir)) continue;
      dirs.add(dir);
      entry(parts, { name: dir, size: 0, mode: 0o755, type: '5', uid: 0, gid: 0 });
    }
    entry(parts, { name: rel, size: e.content.length, mode: e.mode, type: '0', ...ids }, e.content);
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** The first real entry of an archive (PAX and GNU long-name headers skipped). */
export interface TarMember {
  /** `file`, `symlink` (see `link`), or what else the type flag says. */
  kind: 'file' | 'symlink' | 'other';
  link: string;
  content: Buffer;
}

const cstring = (b: Buffer) => {
  const end = b.indexOf(0);
  return b.subarray(0, end === -1 ? b.length : end).toString('utf8');
};

function octal(b: Buffer): number {
  const n = parseInt(cstring(b).trim() || '0', 8);
  if (!Number.isSafeInteger(n)) throw new TarError('a header has a malformed size');
  return n;
}

/** Reads the first entry that is not a PAX or GNU long-name header, as Docker's getArchive sends. */
export function firstMember(archive: Buffer): TarMember {
  let at = 0;
  let paxLink: string | undefined;
  while (at + 512 <= archive.length) {
    const h = archive.subarray(at, at + 512);
    if (h.every((b) => b === 0)) break;
    const size = octal(h.subarray(124, 136));
    const type = String.fromCharCode(h[156]!);
    const start = at + 512;
    at = start + size + ((512 - (size % 512)) % 512);
    if (start + size > archive.length) throw new TarError('an entry is cut short');
    const content = archive.subarray(start, start + size);
    // A link target over 100 bytes comes in the PAX header before its entry.
    if (type === 'x') paxLink = /(?:^|\n)\d+ linkpath=([^\n]*)\n/.exec(content.toString())?.[1];
    if ('xgLK'.includes(type)) continue;
    return {
      kind: type === '0' || type === '\0' ? 'file' : type === '2' ? 'symlink' : 'other',
      link: paxLink ?? cstring(h.subarray(157, 257)),
      content,
    };
  }
  throw new TarError('the archive has no entry');
}
