/**
 * A dispatch lease for engine tests: this desk holds it (`holding`) or another desk does, and the endpoint refuses
 * hand-offs while `refusing` (a message then stays planned, tried again every few seconds). `changed` tells the
 * engine, as the lease's own change events do.
 */
import type { DispatchGate } from '../../../../../shared/engine/dispatch-gate.ts';

export function standInLease(initially: { holding: boolean; refusing?: boolean; epoch?: number }) {
  const state = { holding: initially.holding, refusing: initially.refusing ?? false };
  const epoch = initially.epoch ?? 1;
  const listeners = new Set<() => void>();
  const gate: DispatchGate = {
    permit: () => (state.holding ? { ok: true, fence: { desk: 'desk-b', epoch } } : { ok: false, reason: 'desk-a holds the lease' }),
    stillValid: () => state.holding,
    handOff: () => Promise.resolve(!state.refusing),
    active: () => state.holding,
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    replicates: () => true,
  };
  return { gate, state, changed: () => listeners.forEach((listener) => listener()) };
}
