// What reports quote, made safe to quote: XML escaping, and the caps on text that came from the
// target. XML 1.0 forbids most control characters even when escaped, and logs carry them (ANSI
// colours, NUL): they are shown as visible escapes (`\x1b`), not dropped, so a person sees them.
import type { CellResult } from '../matrix/result.ts';
import { clip, DIAGNOSTICS_MAX_BYTES, escapeControls, MESSAGE_MAX_BYTES } from '../text/quote.ts';

export function escapeXml(text: string): string {
  return escapeControls(text, 'keep')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/**
 * Attributes, each value capped. A parser folds a raw line break or tab in an attribute into a
 * space (XML 1.0 §3.3.3), so they are written as character references and survive the trip.
 */
export function attrs(a: Record<string, string | number | undefined>): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(
      ([k, v]) =>
        ` ${k}="${escapeXml(clip(String(v), MESSAGE_MAX_BYTES))
          .replace(/\n/g, '&#10;')
          .replace(/\t/g, '&#9;')}"`,
    )
    .join('');
}

/**
 * A result with every text a target can fill capped in bytes, so one 4 MB log line or reply
 * cannot make a report of tens of MB; each cut says how much it dropped.
 */
export function bounded(r: CellResult): CellResult {
  const cap = (text: string | undefined, max = MESSAGE_MAX_BYTES) =>
    text === undefined ? undefined : clip(text, max);
  return {
    ...r,
    ...(r.message === undefined ? {} : { message: cap(r.message) }),
    ...(r.observed === undefined ? {} : { observed: cap(r.observed) }),
    ...(r.diagnostics === undefined
      ? {}
      : { diagnostics: cap(r.diagnostics, DIAGNOSTICS_MAX_BYTES) }),
    properties: Object.fromEntries(
      Object.entries(r.properties).map(([k, v]) => [k, clip(v, MESSAGE_MAX_BYTES)]),
    ),
  };
}
