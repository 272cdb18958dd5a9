import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isGsm7, smsSegments } from '../../../../shared/notifications/templates/sms.ts';

describe('smsSegments', () => {
  it('GSM-7: 160 in one segment, 153 per segment beyond', () => {
    expect(smsSegments('')).toEqual({ encoding: 'GSM-7', characters: 0, segments: 0, perSegment: 160 });
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', characters: 160, segments: 1, perSegment: 160 });
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', characters: 161, segments: 2, perSegment: 153 });
    expect(smsSegments('a'.repeat(306)).segments).toBe(2);
    expect(smsSegments('a'.repeat(307)).segments).toBe(3);
  });

  it('extension characters cost two septets and are never split across segments', () => {
    expect(smsSegments('€')).toMatchObject({ encoding: 'GSM-7', characters: 2 });
    expect(smsSegments('{}[]~|^\\€').characters).toBe(18);
    expect(smsSegments('a'.repeat(159) + '€')).toMatchObject({ characters: 161, segments: 2 });
    // 152 + an escape pair: the pair moves to segment 2 instead of being cut.
    expect(smsSegments('a'.repeat(152) + '€' + 'a'.repeat(152))).toMatchObject({ characters: 306, segments: 3 });
  });

  it('the basic set includes accented Latin and Greek capitals; Cyrillic and emoji force UCS-2', () => {
    expect(isGsm7('@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà\n\r')).toBe(true);
    expect(isGsm7('ç')).toBe(false);
    expect(smsSegments('Привет')).toEqual({ encoding: 'UCS-2', characters: 6, segments: 1, perSegment: 70 });
    expect(smsSegments('я'.repeat(70)).segments).toBe(1);
    expect(smsSegments('я'.repeat(71))).toMatchObject({ segments: 2, perSegment: 67 });
    expect(smsSegments('я'.repeat(134)).segments).toBe(2);
    expect(smsSegments('я'.repeat(135)).segments).toBe(3);
    expect(smsSegments('hi 😀')).toMatchObject({ encoding: 'UCS-2', characters: 5 });
    // 66 units + a surrogate pair: the pair is not cut.
    expect(smsSegments('я'.repeat(66) + '😀' + 'я'.repeat(10))).toMatchObject({ characters: 78, segments: 2 });
  });

  it('property: appending text never lowers the segment count; one segment iff within the single limit', () => {
    const text = fc.string({ unit: fc.constantFrom('a', ' ', '€', '{', 'я', '😀', '\n') });
    fc.assert(
      fc.property(text, text, (a, b) => {
        const sa = smsSegments(a);
        const sab = smsSegments(a + b);
        expect(sab.segments).toBeGreaterThanOrEqual(sa.segments);
        // (characters alone is not monotonic: '€' costs 2 septets in GSM-7 but 1 unit once the text turns UCS-2)
        const single = sab.encoding === 'GSM-7' ? 160 : 70;
        expect(sab.segments <= 1).toBe(sab.characters <= single);
        if (sab.segments > 1) expect(sab.segments).toBeGreaterThanOrEqual(Math.ceil(sab.characters / sab.perSegment));
      }),
      { numRuns: 1000 },
    );
  });
});
