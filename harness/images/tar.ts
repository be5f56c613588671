// A minimal ustar writer: enough for a Docker build context of regular files and directories.
// Written here rather than taking tar-stream, which is only a transitive dependency.

export interface TarEntry {
  path: string;
  content: Buffer;
  mode: number;
}

function header(name: string, size: number, mode: number, type: '0' | '5'): Buffer {
  const h = Buffer.alloc(512);
  if (Buffer.byteLength(name) > 100) throw new Error(`tar: path too long for ustar: ${name}`);
  h.write(name, 0);
  h.write(`${mode.toString(8).padStart(7, '0')}\0`, 100);
  h.write('0000000\0', 108); // uid
  h.write('0000000\0', 116); // gid
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136); // mtime 0: the same content gives the same bytes
  h.write('        ', 148); // checksum placeholder, counted as spaces
  h.write(type, 156);
  h.write('ustar\0' + '00', 257);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

/** The whole archive in memory; parent directories are added once, in order. */
export function tar(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  const dirs = new Set<string>();
  for (const e of entries) {
    const rel = e.path.replace(/^\/+/, '');
    const segs = rel.split('/');
    for (let i = 1; i < segs.length; i++) {
      const dir = `${segs.slice(0, i).join('/')}/`;
      if (dirs.has(dir)) continue;
      dirs.add(dir);
      parts.push(header(dir, 0, 0o755, '5'));
    }
    parts.push(header(rel, e.content.length, e.mode, '0'), e.content);
    const pad = (512 - (e.content.length % 512)) % 512;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}
