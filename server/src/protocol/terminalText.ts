// What of a task's output may reach a terminal: its text, tabs and line ends, and (where the
// target shows them) its colours. Everything else a terminal would act on is removed, because a
// task's output is data, not commands to the user's terminal: window titles and other OSC strings
// (OSC 8 hyperlinks that show one address and open another), DCS/SOS/PM/APC strings, cursor
// movement and erasing (every CSI but SGR), other escape sequences, C0 controls other than tab and
// line feed (a carriage return or backspace could overwrite the `[run/step/task]` prefix with a
// forged one) and C1 controls (the 8-bit forms of the same sequences). The CLI printer and the
// editor's log pane both use it, so a line looks the same, and is as safe, in both.

export interface TerminalTextOptions {
  /** Keep SGR sequences (colours, bold, ...): true where the target is a terminal that shows them. */
  colors: boolean;
}

const ESC = 0x1b;
const BEL = 0x07;
/** C1 introducers and the string terminator (the 8-bit forms of ESC [, ESC ], ESC P, ESC X, ESC ^, ESC _, ESC \). */
const CSI8 = 0x9b;
const OSC8 = 0x9d;
const ST8 = 0x9c;
const stringIntroducers8 = new Set([0x90, OSC8, 0x98, 0x9e, 0x9f]);
/** After ESC: `]` OSC, `P` DCS, `X` SOS, `^` PM, `_` APC: strings that run to their terminator. */
const stringIntroducers7 = new Set([0x5d, 0x50, 0x58, 0x5e, 0x5f]);

const reset = "\x1b[0m";

/** Anything a terminal could act on, apart from tab and line feed. */
// eslint-disable-next-line no-control-regex
const unsafe = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

/** Where a control string (OSC, DCS, ...) whose body starts at `from` ends: after BEL, ESC \ or ST; the end of the text when unterminated. */
function stringEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === BEL || c === ST8) return i + 1;
    if (c === ESC && text.charCodeAt(i + 1) === 0x5c) return i + 2;
  }
  return text.length;
}

interface Csi {
  /** Index after the sequence (or of the first byte that broke it off). */
  end: number;
  /** The sequence's parameters when it is a well-formed SGR (`ESC [ params m`). */
  sgr?: string;
}

/** Parses a CSI whose parameters start at `from`: parameter bytes, intermediate bytes, one final byte. */
function csi(text: string, from: number): Csi {
  let i = from;
  while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x3f) i++;
  const params = text.slice(from, i);
  const intermediatesAt = i;
  while (i < text.length && text.charCodeAt(i) >= 0x20 && text.charCodeAt(i) <= 0x2f) i++;
  const final = text.charCodeAt(i);
  // Broken off (a control, the end of the text, a non-ASCII character): dropped up to there.
  if (!(final >= 0x40 && final <= 0x7e)) return { end: i };
  const isSgr = final === 0x6d && i === intermediatesAt && /^[0-9;:]*$/.test(params);
  return isSgr ? { end: i + 1, sgr: params } : { end: i + 1 };
}

/** Index after an escape sequence starting at `at` (ESC or a C1 introducer), and the SGR it is, if any. */
function sequence(text: string, at: number): Csi {
  const c = text.charCodeAt(at);
  if (c === CSI8) return csi(text, at + 1);
  if (stringIntroducers8.has(c)) return { end: stringEnd(text, at + 1) };
  if (c !== ESC) return { end: at + 1 }; // another C1 control
  const next = text.charCodeAt(at + 1);
  if (next === 0x5b) return csi(text, at + 2);
  if (stringIntroducers7.has(next)) return { end: stringEnd(text, at + 2) };
  // Other escape sequences: intermediates, then one final byte (ESC c, ESC 7, ESC ( B, ...).
  let i = at + 1;
  while (i < text.length && text.charCodeAt(i) >= 0x20 && text.charCodeAt(i) <= 0x2f) i++;
  const final = text.charCodeAt(i);
  return { end: final >= 0x30 && final <= 0x7e ? i + 1 : i };
}

/**
 * The text with everything but printable characters, tabs, line feeds and (with `colors`) SGR
 * sequences removed. A line that kept colours ends with a reset, so its colours or its hidden
 * text never carry over to the next line's prefix.
 */
export function sanitizeTerminalText(text: string, options: TerminalTextOptions): string {
  if (!unsafe.test(text)) return text;
  let out = "";
  let coloured = false;
  // Runs of safe characters are copied as slices; only what is unsafe is looked at one by one.
  let runStart = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const isC1 = c >= 0x80 && c <= 0x9f;
    if ((c >= 0x20 && c !== 0x7f && !isC1) || c === 0x09 || (c === 0x0a && !coloured)) {
      i++;
      continue;
    }
    out += text.slice(runStart, i);
    if (c === 0x0a) {
      out += `${reset}\n`;
      coloured = false;
      i++;
    } else if (c === ESC || isC1) {
      const s = sequence(text, i);
      if (s.sgr !== undefined && options.colors) {
        out += `\x1b[${s.sgr}m`;
        // A plain reset ends the colours; anything else leaves some attribute on.
        coloured = s.sgr !== "" && s.sgr !== "0";
      }
      i = s.end;
    } else i++; // another control: dropped
    runStart = i;
  }
  out += text.slice(runStart);
  return coloured ? out + reset : out;
}
