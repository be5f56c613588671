// A strict reader for the XML subset XML-RPC uses: elements, text, character and the five
// predefined entity references, CDATA, comments and the XML declaration. No DTDs, no namespaces,
// no attributes that matter. Anything else is an error, because a conformance harness must notice
// a malformed reply rather than guess at it. What a reply may hold is bounded (depth, elements,
// text per element) so a hostile one fails fast instead of exhausting the stack or the heap.
import { snippet } from '../text/quote.ts';
import { XmlRpcWireError } from './errors.ts';

export interface XmlElement {
  name: string;
  children: XmlElement[];
  /** Concatenated character data directly inside this element. */
  text: string;
}

/** vdsm's replies nest about 8 deep; the value decoder recurses, so depth is bounded well below the stack. */
export const MAX_XML_DEPTH = 64;
/** Ten times the elements of a large host's getVdsCapabilities. */
export const MAX_XML_ELEMENTS = 100_000;
/** XML-RPC's element names are short; a bound keeps messages that name one short too. */
export const MAX_XML_NAME_LENGTH = 64;
/** Characters of text in one element, i.e. one string value: no field vdsm sends comes near. */
export const MAX_XML_TEXT_LENGTH = 1 << 20;

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
// Sticky, so a name is read where the tag starts without copying the rest of the document.
const NAME = /[A-Za-z_][\w.-]*/y;
const ATTRS = /^(\s+[\w:.-]+\s*=\s*("[^"<]*"|'[^'<]*'))*\s*\/?$/;

function decodeEntities(raw: string, at: number): string {
  return raw.replace(/&([^;&<]{0,32});|&/g, (whole, ref: string | undefined) => {
    if (ref === undefined) throw new XmlRpcWireError(`bare '&' in text near offset ${at}`);
    if (ref in ENTITIES) return ENTITIES[ref] as string;
    const num = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(ref);
    const point = num ? (num[1] ? parseInt(num[1], 16) : Number(num[2])) : -1;
    if (point < 0 || point > 0x10ffff)
      throw new XmlRpcWireError(`unknown entity ${snippet(whole)} near offset ${at}`);
    return String.fromCodePoint(point);
  });
}

function nameAt(doc: string, at: number): string | undefined {
  NAME.lastIndex = at;
  const name = NAME.exec(doc)?.[0];
  if (name && name.length > MAX_XML_NAME_LENGTH) {
    throw new XmlRpcWireError(
      `an element name longer than ${MAX_XML_NAME_LENGTH} characters at offset ${at}`,
    );
  }
  return name;
}

export function parseXml(doc: string): XmlElement {
  let i = 0;
  let elements = 0;
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
  const addText = (el: XmlElement, text: string): void => {
    el.text += text;
    if (el.text.length > MAX_XML_TEXT_LENGTH)
      fail(`<${el.name}> holds more than ${MAX_XML_TEXT_LENGTH} characters of text`);
  };
  while (i < doc.length) {
    const lt = doc.indexOf('<', i);
    const text = doc.slice(i, lt < 0 ? doc.length : lt);
    const top = stack.at(-1);
    if (top) addText(top, decodeEntities(text, i));
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
      addText(top as XmlElement, doc.slice(i + 9, end));
      i = end + 3;
    } else if (doc.startsWith('<!', i)) {
      fail('DTDs are not allowed in XML-RPC');
    } else if (doc.startsWith('</', i)) {
      const name = nameAt(doc, i + 2);
      const close = doc.indexOf('>', i);
      if (!name || close < 0 || doc.slice(i + 2 + name.length, close).trim() !== '')
        fail('bad end tag');
      if (stack.pop()?.name !== name) fail(`end tag </${name ?? ''}> does not match`);
      i = close + 1;
    } else {
      const name = nameAt(doc, i + 1);
      const close = doc.indexOf('>', i);
      if (!name || close < 0) fail('bad start tag');
      const rest = doc.slice(i + 1 + (name as string).length, close);
      const selfClosing = rest.endsWith('/');
      if (!ATTRS.test(rest)) fail(`bad tag <${name as string}>`);
      if (root && stack.length === 0) fail('a second root element');
      if (++elements > MAX_XML_ELEMENTS) fail(`more than ${MAX_XML_ELEMENTS} elements`);
      const el: XmlElement = { name: name as string, children: [], text: '' };
      if (top) top.children.push(el);
      else root = el;
      if (!selfClosing) {
        stack.push(el);
        if (stack.length > MAX_XML_DEPTH) fail(`elements nested more than ${MAX_XML_DEPTH} deep`);
      }
      i = close + 1;
    }
  }
  if (stack.length > 0) fail(`unclosed <${stack.at(-1)?.name ?? ''}>`);
  if (!root) throw new XmlRpcWireError('empty document');
  return root;
}
