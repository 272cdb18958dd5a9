/**
 * The text of a CSV file as salons' programs save it: UTF-8 (with or without a BOM); UTF-16 with its BOM (Excel's
 * "Unicode Text"); else one of the two Windows code pages older exports use — Windows-1251 for Cyrillic, Windows-1252
 * for Western European names ("Müller", "José"). Decoding Western bytes as Cyrillic turned every "ü" into "ь" without
 * a word, so the code page is chosen from the bytes: Cyrillic text is words of high bytes, Western text has a high byte
 * here and there between ASCII letters.
 */

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1251' | 'windows-1252';

export interface DecodedCsv {
  text: string;
  encoding: CsvEncoding;
}

export function decodeCsvBytes(bytes: Uint8Array): DecodedCsv {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    const encoding = singleByteCodePage(bytes);
    return { text: new TextDecoder(encoding).decode(bytes), encoding };
  }
}

/** Windows-1251 when most bytes above 0x7F stand next to another one (Cyrillic words), else Windows-1252. */
export function singleByteCodePage(bytes: Uint8Array): 'windows-1251' | 'windows-1252' {
  let high = 0;
  let inRun = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! < 0x80) continue;
    high++;
    if ((bytes[i - 1] ?? 0) >= 0x80 || (bytes[i + 1] ?? 0) >= 0x80) inRun++;
  }
  return inRun * 2 > high ? 'windows-1251' : 'windows-1252';
}
