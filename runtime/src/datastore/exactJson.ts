// JSON with integers beyond 2^53 kept exact. Python writes such integers as plain digits (a
// parameter `--seed 9007199254740993`, an artifact's JSON preview); JSON.parse would round them to
// the nearest double. Here they become BigInt when read, and are written back as the same digits.

// A marker no JSON text produced by Flowlens or Python contains: strings never hold a raw NUL.
const marker = "\u0000bigint:";
const markerInJson = /"\\u0000bigint:(-?\d+)"/g;

/** Integer literals outside strings, too large for a double to hold exactly. */
function markBigIntegers(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"') {
      // Copy the string literal as it is, escapes included.
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === "-" || (c >= "0" && c <= "9")) {
      const m = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i, i + 400));
      const token = m?.[0] ?? c;
      const integer = m !== null && m[1] === undefined && m[2] === undefined;
      out += integer && !Number.isSafeInteger(Number(token)) ? `"${marker.replace("\u0000", "\\u0000")}${token}"` : token;
      i += token.length;
      continue;
    }
    out += c;
    i += 1;
  }
  return out;
}

/** JSON.parse, except that integers beyond Number.MAX_SAFE_INTEGER come back as BigInt. */
export function parseExact(text: string): unknown {
  // Most files hold no long digit run at all: then the plain parser is exact already.
  if (!/\d{16}/.test(text)) return JSON.parse(text);
  return JSON.parse(markBigIntegers(text), (_key, value: unknown) => (typeof value === "string" && value.startsWith(marker) ? BigInt(value.slice(marker.length)) : value));
}

/** JSON.stringify that writes BigInt values as their digits. */
export function stringifyExact(value: unknown, indent?: number): string {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `${marker}${v.toString()}` : v), indent);
  return text.replace(markerInJson, "$1");
}
