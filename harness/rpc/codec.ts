// XML-RPC values, calls, responses and faults (http://xmlrpc.com/spec.md) plus the <nil/>
// extension Python's xmlrpc.client emits with allow_none.
//
// Why our own codec: both npm candidates were read before deciding. `xmlrpc` (1.3.2) has not
// been released since 2016, ships no types and builds requests from url.parse; `@foxglove/xmlrpc`
// (1.3.0) is maintained but its client is fetch(url) — a WHATWG URL, which rejects zone ids — and
// its codec reads <nil/> as `undefined` (lost when printed as JSON) and emits a bare <member> for
// an undefined value. The transport must be ours either way, the codec is ~150 lines, and here it
// is strict: a malformed agent reply is a finding, not something to smooth over.
import { snippet } from '../text/quote.ts';
import { XmlRpcWireError } from './errors.ts';
import { parseXml, type XmlElement } from './xml.ts';

export type XmlRpcValue =
  string | number | boolean | null | Date | Buffer | XmlRpcValue[] | { [key: string]: XmlRpcValue };

export interface XmlRpcFault {
  faultCode: number;
  faultString: string;
}

export type MethodResponse =
  { kind: 'value'; value: XmlRpcValue } | { kind: 'fault'; fault: XmlRpcFault };

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function serializeValue(v: unknown): string {
  if (v === null || v === undefined) return '<value><nil/></value>';
  if (typeof v === 'boolean') return `<value><boolean>${v ? 1 : 0}</boolean></value>`;
  if (typeof v === 'string') return `<value><string>${esc(v)}</string></value>`;
  if (typeof v === 'number') {
    if (!Number.isFinite(v))
      throw new XmlRpcWireError(`cannot encode ${v}: XML-RPC has no NaN or infinity`);
    if (Number.isInteger(v) && v >= INT_MIN && v <= INT_MAX)
      return `<value><int>${v}</int></value>`;
    return `<value><double>${v}</double></value>`;
  }
  if (v instanceof Date)
    return `<value><dateTime.iso8601>${v.toISOString()}</dateTime.iso8601></value>`;
  if (Buffer.isBuffer(v)) return `<value><base64>${v.toString('base64')}</base64></value>`;
  if (Array.isArray(v))
    return `<value><array><data>${v.map(serializeValue).join('')}</data></array></value>`;
  if (typeof v === 'object') {
    const members = Object.entries(v).map(
      ([k, x]) => `<member><name>${esc(k)}</name>${serializeValue(x)}</member>`,
    );
    return `<value><struct>${members.join('')}</struct></value>`;
  }
  throw new XmlRpcWireError(`cannot encode a ${typeof v} in XML-RPC`);
}

const DECL = '<?xml version="1.0" encoding="UTF-8"?>';

export function serializeCall(method: string, params: unknown[] = []): string {
  const ps = params.map((p) => `<param>${serializeValue(p)}</param>`).join('');
  return `${DECL}<methodCall><methodName>${esc(method)}</methodName><params>${ps}</params></methodCall>`;
}

export function serializeResponse(value: unknown): string {
  return `${DECL}<methodResponse><params><param>${serializeValue(value)}</param></params></methodResponse>`;
}

export function serializeFault(fault: XmlRpcFault): string {
  return `${DECL}<methodResponse><fault>${serializeValue(fault)}</fault></methodResponse>`;
}

function only(el: XmlElement, name: string, where: string): XmlElement[] {
  if (el.text.trim() !== '')
    throw new XmlRpcWireError(`unexpected text inside <${el.name}> in ${where}`);
  for (const c of el.children) {
    if (c.name !== name)
      throw new XmlRpcWireError(`unexpected <${c.name}> inside <${el.name}> in ${where}`);
  }
  return el.children;
}

function one(el: XmlElement, name: string, where: string): XmlElement {
  const cs = only(el, name, where);
  if (cs.length !== 1)
    throw new XmlRpcWireError(`<${el.name}> must hold exactly one <${name}> in ${where}`);
  return cs[0] as XmlElement;
}

function parseScalar(t: XmlElement): XmlRpcValue {
  const s = t.text;
  switch (t.name) {
    case 'i4':
    case 'int':
    case 'i8': {
      if (!/^\s*[-+]?\d+\s*$/.test(s))
        throw new XmlRpcWireError(`<${t.name}> holds ${snippet(s)}, not an integer`);
      const n = Number(s);
      if (t.name !== 'i8' && (n < INT_MIN || n > INT_MAX))
        throw new XmlRpcWireError(`<${t.name}> ${snippet(s)} is out of 32-bit range`);
      return n;
    }
    case 'boolean':
      if (s.trim() !== '0' && s.trim() !== '1')
        throw new XmlRpcWireError(`<boolean> holds ${snippet(s)}, not 0 or 1`);
      return s.trim() === '1';
    case 'double': {
      if (!/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(s))
        throw new XmlRpcWireError(`<double> holds ${snippet(s)}`);
      return Number(s);
    }
    case 'string':
      return s;
    case 'nil':
      if (s.trim() !== '') throw new XmlRpcWireError('<nil/> must be empty');
      return null;
    case 'dateTime.iso8601': {
      const m =
        /^\s*(\d{4})-?(\d\d)-?(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.\d+)?(Z|[-+]\d\d:?\d\d)?\s*$/.exec(s);
      if (!m) throw new XmlRpcWireError(`<dateTime.iso8601> holds ${snippet(s)}`);
      return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? 'Z'}`);
    }
    case 'base64':
      return Buffer.from(s.replace(/\s+/g, ''), 'base64');
    default:
      throw new XmlRpcWireError(`unknown value type <${t.name}>`);
  }
}

export function parseValue(v: XmlElement, where: string): XmlRpcValue {
  if (v.name !== 'value')
    throw new XmlRpcWireError(`expected <value>, got <${v.name}> in ${where}`);
  if (v.children.length === 0) return v.text; // an untyped value is a string
  const t = one(v, v.children[0]?.name ?? '', where);
  if (t.name === 'array') {
    return only(one(t, 'data', where), 'value', where).map((x) => parseValue(x, where));
  }
  if (t.name === 'struct') {
    const out: { [key: string]: XmlRpcValue } = {};
    for (const m of only(t, 'member', where)) {
      const name = m.children.find((c) => c.name === 'name');
      const value = m.children.find((c) => c.name === 'value');
      if (!name || !value || m.children.length !== 2)
        throw new XmlRpcWireError(`<member> needs one <name> and one <value> in ${where}`);
      out[name.text] = parseValue(value, where);
    }
    return out;
  }
  if (t.children.length > 0)
    throw new XmlRpcWireError(`<${t.name}> cannot hold elements in ${where}`);
  return parseScalar(t);
}

function params(el: XmlElement | undefined, where: string): XmlRpcValue[] {
  if (!el) return [];
  return only(el, 'param', where).map((p) => parseValue(one(p, 'value', where), where));
}

export function parseCall(doc: string): { method: string; params: XmlRpcValue[] } {
  const root = parseXml(doc);
  const where = 'methodCall';
  if (root.name !== 'methodCall')
    throw new XmlRpcWireError(`expected <methodCall>, got <${root.name}>`);
  const [name, ps, ...extra] = root.children;
  if (name?.name !== 'methodName' || (ps && ps.name !== 'params') || extra.length > 0) {
    throw new XmlRpcWireError('<methodCall> must hold <methodName> and optionally <params>');
  }
  if (!/^[\w.:/]+$/.test(name.text))
    throw new XmlRpcWireError(`bad method name ${snippet(name.text)}`);
  return { method: name.text, params: params(ps, where) };
}

export function parseResponse(doc: string): MethodResponse {
  const root = parseXml(doc);
  const where = 'methodResponse';
  if (root.name !== 'methodResponse')
    throw new XmlRpcWireError(`expected <methodResponse>, got <${root.name}>`);
  const body = one(root, root.children[0]?.name ?? 'params', where);
  if (body.name === 'fault') {
    const f = parseValue(one(body, 'value', where), where);
    const ok =
      f !== null &&
      typeof f === 'object' &&
      !Array.isArray(f) &&
      !(f instanceof Date) &&
      !Buffer.isBuffer(f);
    const code = ok ? (f as Record<string, XmlRpcValue>).faultCode : undefined;
    const text = ok ? (f as Record<string, XmlRpcValue>).faultString : undefined;
    if (typeof code !== 'number' || typeof text !== 'string')
      throw new XmlRpcWireError('<fault> must be a struct with faultCode and faultString');
    return { kind: 'fault', fault: { faultCode: code, faultString: text } };
  }
  if (body.name !== 'params')
    throw new XmlRpcWireError(`unexpected <${body.name}> in methodResponse`);
  const values = params(body, where);
  if (values.length !== 1)
    throw new XmlRpcWireError(`a methodResponse carries exactly one param, got ${values.length}`);
  return { kind: 'value', value: values[0] as XmlRpcValue };
}
