/**
 * A file name or other text from the evidence made safe to print on a
 * terminal: control characters (C0 but tab, DEL, C1: among them
 * ESC, so every terminal escape sequence) become `\xNN`. `bytes`: the text
 * holds raw bytes (a name that is not UTF-8, read as Latin-1): every byte
 * over 0x7e is escaped too. `lines`: a message of several lines keeps its
 * line feeds. Escaping twice changes nothing.
 */
export function printable(text: string, bytes = false, lines = false): string {
  const unsafe = bytes ? UNSAFE_BYTES : lines ? UNSAFE_IN_LINES : UNSAFE;
  // Most text has nothing to escape: a test is cheaper than replace's copy (the table asks this of every row).
  unsafe.lastIndex = 0;
  if (!unsafe.test(text)) return text;
  return text.replace(unsafe, escapeChar);
}

// Made once: the table calls printable() per row. replace() and the test above both start from lastIndex 0.
const UNSAFE_BYTES = /[\x00-\x1f\x7f-\xff]/g;
const UNSAFE_IN_LINES = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;

function escapeChar(c: string): string {
  return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
}
