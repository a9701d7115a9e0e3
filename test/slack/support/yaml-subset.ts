// A parser for the YAML subset manifest.yml uses (block maps, block lists, plain and double-quoted
// scalars, comments), strict about anything else, so the manifest test needs no new dependency.
type Value = string | number | boolean | null | Value[] | { [k: string]: Value };

type Line = { indent: number; text: string; no: number };

function scalar(raw: string, no: number): Value {
  const s = raw.trim();
  if (s.startsWith('"')) {
    if (!s.endsWith('"') || s.length < 2) throw new Error(`line ${no}: unterminated string`);
    return JSON.parse(s) as string;
  }
  if (/^[[{&*!|>'%@`]/.test(s)) throw new Error(`line ${no}: unsupported YAML syntax: ${s}`);
  if (s === "true" || s === "false") return s === "true";
  if (s === "null" || s === "~" || s === "") return null;
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  if (/: |\s#/.test(s)) throw new Error(`line ${no}: ambiguous plain scalar (quote it): ${s}`);
  return s;
}

function stripComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"' && line[i - 1] !== "\\") inString = !inString;
    if (ch === "#" && !inString && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

export function parseYamlSubset(source: string): Value {
  const lines: Line[] = source.split(/\r?\n/).flatMap((raw, i) => {
    if (/\t/.test(raw.match(/^\s*/)![0])) throw new Error(`line ${i + 1}: tab indentation`);
    const text = stripComment(raw).trimEnd();
    return text.trim() ? [{ indent: text.length - text.trimStart().length, text: text.trim(), no: i + 1 }] : [];
  });
  let pos = 0;

  function block(indent: number): Value {
    const first = lines[pos];
    if (!first || first.indent < indent) return null;
    return first.text.startsWith("- ") || first.text === "-" ? list(first.indent) : map(first.indent);
  }

  function map(indent: number, firstInline?: string): { [k: string]: Value } {
    const out: { [k: string]: Value } = {};
    let inline = firstInline;
    while (inline !== undefined || (pos < lines.length && lines[pos]!.indent === indent && !lines[pos]!.text.startsWith("- "))) {
      const line = inline ?? lines[pos]!.text;
      const no = lines[Math.max(0, pos - (inline !== undefined ? 1 : 0))]!.no;
      if (inline === undefined) pos++;
      inline = undefined;
      const m = /^([A-Za-z_][\w.-]*):(?:\s+(.*))?$/.exec(line);
      if (!m) throw new Error(`line ${no}: expected "key: value", got ${line}`);
      const key = m[1]!;
      if (key in out) throw new Error(`line ${no}: duplicate key ${key}`);
      out[key] = m[2] !== undefined ? scalar(m[2], no) : pos < lines.length && lines[pos]!.indent > indent ? block(lines[pos]!.indent) : null;
    }
    if (pos < lines.length && lines[pos]!.indent > indent) throw new Error(`line ${lines[pos]!.no}: unexpected indentation`);
    return out;
  }

  function list(indent: number): Value[] {
    const out: Value[] = [];
    while (pos < lines.length && lines[pos]!.indent === indent && lines[pos]!.text.startsWith("- ")) {
      const line = lines[pos]!;
      const rest = line.text.slice(2).trim();
      pos++;
      if (/^[A-Za-z_][\w.-]*:(\s|$)/.test(rest)) {
        // "- key: value" then more keys indented to align with "key".
        const itemIndent = indent + 2;
        const item = map(itemIndent, rest);
        out.push(item);
      } else out.push(scalar(rest, line.no));
    }
    return out;
  }

  const value = block(0);
  if (pos < lines.length) throw new Error(`line ${lines[pos]!.no}: could not parse: ${lines[pos]!.text}`);
  return value;
}
