import { describe, expect, it } from 'vitest';
import { currentLocation } from '../../renderer/src/app/location-context.ts';

describe('currentLocation', () => {
  const locations = [{ id: 'loc-a' }, { id: 'loc-b' }];

  it('is the location chosen on the desk while it exists', () => {
    expect(currentLocation(locations, 'loc-b')).toEqual({ id: 'loc-b' });
  });

  it('falls back to the first location without a choice or when the chosen one is gone', () => {
    expect(currentLocation(locations, null)).toEqual({ id: 'loc-a' });
    expect(currentLocation(locations, 'loc-gone')).toEqual({ id: 'loc-a' });
    expect(currentLocation([], 'loc-a')).toBeUndefined();
  });
});
