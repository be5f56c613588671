// A strict reader for the XML subset XML-RPC uses: elements, text, character and the five
// predefined entity references, CDATA, comments and the XML declaration. No DTDs, no namespaces,
// no attributes that matter. Anything else is an error, because a conformance harness must notice
// a malformed reply rather than guess at it.
import { XmlRpcWireError } from './errors.ts';

export interface XmlElement {
  name: string;
  children: XmlElement[];
  /** Concatenated character data directly inside this element. */
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const NAME = /^[A-Za-z_][\w.-]*/;

function decodeEntities(raw: string, at: number): string {
  return raw.replace(/&([^;]*);|&/g, (whole, ref: string | undefined) => {
    if (ref === undefined) throw new XmlRpcWireError(`bare '&' in text near offset ${at}`);
    if (ref in ENTITIES) return ENTITIES[ref] as string;
    const num = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref);
    if (!num) throw new XmlRpcWireError(`unknown entity '${whole}' near offset ${at}`);
    return String.fromCodePoint(num[1] ? parseInt(num[1], 16) : Number(num[2]));
  });
}

export function parseXml(doc: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const fail = (what: string): never => {
    throw new XmlRpcWireError(`${what} at offset ${i}`);
  };
  const skip = (end: string, what: string): void => {
    const j = doc.indexOf(end, i);
    if (j < 0) fail(`unterminated ${what}`);
    i = j + end.length;
  };
  while (i < doc.length) {
    const lt = doc.indexOf('<', i);
    const text = doc.slice(i, lt < 0 ? doc.length : lt);
    const top = stack.at(-1);
    if (top) top.text += decodeEntities(text, i);
    else if (text.trim() !== '') fail('text outside the root element');
    if (lt < 0) break;
    i = lt;
    if (doc.startsWith('<?', i)) {
      if (root || stack.length > 0) fail('processing instruction after the root element starts');
      skip('?>', 'XML declaration');
    } else if (doc.startsWith('<!--', i)) {
      skip('-->', 'comment');
    } else if (doc.startsWith('<![CDATA[', i)) {
      const end = doc.indexOf(']]>', i);
      if (!top || end < 0) fail('CDATA outside an element or unterminated');
      (top as XmlElement).text += doc.slice(i + 9, end);
      i = end + 3;
    } else if (doc.startsWith('<!', i)) {
      fail('DTDs are not allowed in XML-RPC');
    } else if (doc.startsWith('</', i)) {
      const m = NAME.exec(doc.slice(i + 2));
      const close = doc.indexOf('>', i);
      if (!m || close < 0 || doc.slice(i + 2 + m[0].length, close).trim() !== '')
        fail('bad end tag');
      if (stack.pop()?.name !== m?.[0]) fail(`end tag </${m?.[0]}> does not match`);
      i = close + 1;
    } else {
      const m = NAME.exec(doc.slice(i + 1));
      const close = doc.indexOf('>', i);
      if (!m || close < 0) fail('bad start tag');
      const name = (m as RegExpExecArray)[0];
      const rest = doc.slice(i + 1 + name.length, close);
      const selfClosing = rest.endsWith('/');
      if (!/^(\s+[\w:.-]+\s*=\s*("[^"<]*"|'[^'<]*'))*\s*\/?$/.test(rest)) fail(`bad tag <${name}>`);
      if (root && stack.length === 0) fail('a second root element');
      const el: XmlElement = { name, children: [], text: '' };
      if (top) top.children.push(el);
      else root = el;
      if (!selfClosing) stack.push(el);
      i = close + 1;
    }
  }
  if (stack.length > 0) fail(`unclosed <${stack.at(-1)?.name}>`);
  if (!root) throw new XmlRpcWireError('empty document');
  return root;
}
