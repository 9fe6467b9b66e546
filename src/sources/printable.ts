/**
 * A file name or other text from the evidence made safe to print on a
 * terminal: control characters (C0 but tab, DEL, C1: among them
 * ESC, so every terminal escape sequence) become `\xNN`. `bytes`: the text
 * holds raw bytes (a name that is not UTF-8, read as Latin-1): every byte
 * over 0x7e is escaped too. `lines`: a message of several lines keeps its
 * line feeds. Escaping twice changes nothing.
 */
export function printable(text: string, bytes = false, lines = false): string {
  const unsafe = bytes ? /[\x00-\x1f\x7f-\xff]/g : lines ? /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g : /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;
  return text.replace(unsafe, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
