// Text a target wrote (a reply, a fault string, a log line) quoted into our own messages, logs and
// reports. Two rules: it is capped in bytes, saying how much was cut, so a target answering 50 MB
// cannot grow a message, a JUnit file or the harness itself; and its control characters are shown
// as escapes (`\x1b`), so it cannot recolour, rewrite or truncate a CI log, nor break XML.

/** A message (failure reason, error) as reports show it. */
export const MESSAGE_MAX_BYTES = 8 * 1024;
/** A cell's diagnostics: several sections (log tail, listeners, addresses, routes, names). */
export const DIAGNOSTICS_MAX_BYTES = 32 * 1024;
/**
 * A container's log tail, quoted into diagnostics. Docker splits a long line into 16 KiB entries,
 * so a tail of 40 "lines" could still be 640 KiB of one junk line without this.
 */
export const LOG_TAIL_MAX_BYTES = 16 * 1024;
/** A value quoted inside a one-line message (`<int> holds '…'`). */
export const SNIPPET_MAX_BYTES = 120;

/**
 * `text` cut to at most `maxBytes` of UTF-8 (never inside a character), with a marker saying
 * how many bytes were cut. `keep: 'tail'` keeps the end instead, as a log tail wants.
 */
export function clip(text: string, maxBytes: number, keep: 'head' | 'tail' = 'head'): string {
  // Every UTF-16 unit is at most 3 bytes of UTF-8: short text needs no counting.
  if (text.length * 3 <= maxBytes) return text;
  const total = Buffer.byteLength(text);
  if (total <= maxBytes) return text;
  // At most maxBytes units hold at least maxBytes bytes, so only that much is ever encoded.
  let part = keep === 'head' ? text.slice(0, maxBytes) : text.slice(-maxBytes);
  // Nor inside a surrogate pair, which the slice above may have split.
  if (keep === 'head' && /[\ud800-\udbff]$/.test(part)) part = part.slice(0, -1);
  if (keep === 'tail' && /^[\udc00-\udfff]/.test(part)) part = part.slice(1);
  const bytes = Buffer.from(part);
  let kept =
    keep === 'head' ? bytes.subarray(0, maxBytes) : bytes.subarray(bytes.length - maxBytes);
  // Drop a character split by the cut: continuation bytes are 10xxxxxx.
  if (keep === 'head') {
    let end = kept.length;
    let start = end - 1;
    while (start > 0 && (kept[start]! & 0xc0) === 0x80) start--;
    const lead = kept[start]!;
    const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (end - start < need) end = start;
    kept = kept.subarray(0, end);
  } else {
    let start = 0;
    while (start < kept.length && (kept[start]! & 0xc0) === 0x80) start++;
    kept = kept.subarray(start);
  }
  const cut = total - kept.length;
  const marker = `[… ${cut} bytes cut]`;
  const shown = kept.toString('utf8');
  return keep === 'head' ? `${shown}${marker}` : `${marker}${shown}`;
}

// C0 controls but tab and newline, DEL, C1 controls (a terminal may read \x9b as CSI), lone
// surrogates (not text, and not XML), and the two non-characters XML forbids.
const CONTROLS =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escapeOne(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Control characters shown as escapes (`\x1b`, `\x07`, `\x00`, `\r`→`\x0d`). Newlines are kept
 * only when the caller's layout has room for them (`newlines: 'keep'`); otherwise `\n` too.
 */
export function escapeControls(text: string, newlines: 'keep' | 'escape' = 'escape'): string {
  const escaped = text.replace(CONTROLS, escapeOne);
  return newlines === 'keep' ? escaped : escaped.replace(/\n/g, '\\n');
}

/** A snippet of target text inside a one-line message: clipped, escaped, quoted. */
export function snippet(text: string, maxBytes = SNIPPET_MAX_BYTES): string {
  return `'${escapeControls(clip(text, maxBytes))}'`;
}

/** Bytes as people read a cap: `4 MiB`, `16 KiB`, `512 bytes`. */
export function formatBytes(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MiB`;
  if (n >= 1 << 10 && n % (1 << 10) === 0) return `${n / (1 << 10)} KiB`;
  return `${n} bytes`;
}
