// Docker's image reference grammar (distribution/reference, as `docker` normalizes a name), so a
// reference Docker would refuse is refused while the profile is read, naming the rule.
//
//   reference := name [ ":" tag ] [ "@" digest ]
//   name      := [ domain "/" ] component ( "/" component )*     at most 255 characters
//   domain    := host-part ( "." host-part )* [ ":" port ]        host-part: letters, digits, "-" inside
//   component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
//   tag       := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
//   digest    := "sha256:" 64 lower-case hex digits
//
// The first part is a domain only when it has a "." or ":" or is `localhost` (Docker 20.10's
// rule; later versions also take an upper-case first part for one, which 20.10 refuses).

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST_PART = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^${HOST_PART}(?:\\.${HOST_PART})*(?::[0-9]+)?$`);
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const NAME_MAX = 255;

export const IMAGE_REFERENCE_RULE =
  'must be a Docker image reference: name components of a-z and 0-9 joined by ".", "_", "__" or dashes, separated by "/", an optional registry host[:port]/ first, then an optional :tag (A-Z, a-z, 0-9, "_", ".", "-"; up to 128, not starting with "." or "-") and an optional @sha256:<64 hex digits>';

/** Why Docker would refuse `ref` as an image reference, or undefined when it is well formed. */
export function imageReferenceProblem(ref: string): string | undefined {
  let rest = ref;
  const at = rest.indexOf('@');
  if (at !== -1) {
    if (!DIGEST.test(rest.slice(at + 1))) return `has a malformed digest '${rest.slice(at + 1)}'`;
    rest = rest.slice(0, at);
  }
  // A ":" after the last "/" starts the tag; one before it is a registry port.
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    const tag = rest.slice(colon + 1);
    if (!TAG.test(tag)) return `has a malformed tag '${tag}'`;
    rest = rest.slice(0, colon);
  }
  if (rest.length === 0) return 'has no name';
  if (rest.length > NAME_MAX) return `has a name longer than ${NAME_MAX} characters`;
  const parts = rest.split('/');
  const first = parts[0]!;
  if (parts.length > 1 && (/[.:]/.test(first) || first === 'localhost')) {
    if (!DOMAIN.test(first)) return `has a malformed registry host '${first}'`;
    parts.shift();
  }
  const bad = parts.find((p) => !COMPONENT.test(p));
  if (bad === undefined) return undefined;
  return bad !== bad.toLowerCase()
    ? `has upper case in '${bad}' (repository names are lower case)`
    : `has a malformed name component '${bad}'`;
}
