import { describe, expect, it } from 'vitest';
import { decodeCsvBytes } from '../../renderer/src/screens/clients/csv-decode.ts';
import { parseCsv } from '../../shared/csv/csv.ts';

/** Windows-1252 for the Latin-1 range (what Excel's "CSV (comma delimited)" writes on a Western European Windows). */
function windows1252(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

/** Windows-1251 for А..я (0xC0..0xFF) and ASCII (what older Russian exports write). */
function windows1251(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => {
    const code = char.charCodeAt(0);
    return code >= 0x410 && code <= 0x44f ? code - 0x410 + 0xc0 : code;
  });
}

function utf16(text: string, littleEndian: boolean): Uint8Array {
  const units = `\uFEFF${text}`;
  const bytes = new Uint8Array(units.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < units.length; i++) view.setUint16(i * 2, units.charCodeAt(i), littleEndian);
  return bytes;
}

const WESTERN = 'first_name,last_name,phone\nJürgen,Müller,+4915112345678\nJosé,Peña,+34600123456\nHélène,Ströer,+4915112345679\n';
const CYRILLIC = 'Имя;Фамилия;Телефон\nАнна;Иванова;+79161234567\nПетр;Сидоров;+79161234568\n';

describe('decodeCsvBytes', () => {
  it('reads UTF-8 with and without its BOM', () => {
    const bytes = new TextEncoder().encode(WESTERN);
    expect(decodeCsvBytes(bytes)).toEqual({ text: WESTERN, encoding: 'utf-8' });
    expect(parseCsv(decodeCsvBytes(new TextEncoder().encode(`\uFEFF${CYRILLIC}`)).text)[1]).toEqual(['Анна', 'Иванова', '+79161234567']);
  });

  it('reads Excel\'s "Unicode Text" (UTF-16 with a BOM, tab-separated), either byte order', () => {
    const text = WESTERN.replaceAll(',', '\t');
    for (const littleEndian of [true, false]) {
      const decoded = decodeCsvBytes(utf16(text, littleEndian));
      expect(decoded.encoding).toBe(littleEndian ? 'utf-16le' : 'utf-16be');
      expect(parseCsv(decoded.text)[1]).toEqual(['Jürgen', 'Müller', '+4915112345678']);
    }
  });

  it('reads a Western European Windows export as Windows-1252, not as Cyrillic ("Müller", not "Mьller")', () => {
    const decoded = decodeCsvBytes(windows1252(WESTERN));
    expect(decoded.encoding).toBe('windows-1252');
    expect(parseCsv(decoded.text).slice(1).map((row) => `${row[0]} ${row[1]}`)).toEqual(['Jürgen Müller', 'José Peña', 'Hélène Ströer']);
  });

  it('reads an older Russian export as Windows-1251', () => {
    const decoded = decodeCsvBytes(windows1251(CYRILLIC));
    expect(decoded.encoding).toBe('windows-1251');
    expect(decoded.text).toBe(CYRILLIC);
  });
});
