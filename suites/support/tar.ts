// A tar archive in memory, for the tiny images the image suites build or load without a
// registry: regular files only, ustar headers.
export function tarball(files: Array<{ path: string; content: Buffer | string }>): Buffer {
  const blocks: Buffer[] = [];
  for (const f of files) {
    const content = Buffer.from(f.content);
    const h = Buffer.alloc(512);
    h.write(f.path, 0, 100);
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0' + '00', 257);
    const sum = h.reduce((s, b) => s + b, 0);
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(h, content, Buffer.alloc((512 - (content.length % 512)) % 512));
  }
  return Buffer.concat([...blocks, Buffer.alloc(1024)]);
}
