import { describe, expect, it } from 'vitest';
import { CLIENT_CHANNELS, SCENARIOS_BY_CHANNEL } from '../../../shared/notifications/catalog.ts';
import type { Channel, ClientChannel, Scenario } from '../../../shared/notifications/catalog.ts';
import { decideCascade, validateScenarios, verdictAfterWindow } from '../../../shared/notifications/cascade.ts';
import type { Attempt, CascadeInput, Reachability } from '../../../shared/notifications/cascade.ts';

type Outcome = 'delivered' | 'failed' | 'notTried';
const OUTCOMES: readonly Outcome[] = ['delivered', 'failed', 'notTried'];

function combos<T>(lists: readonly (readonly T[])[]): T[][] {
  return lists.reduce<T[][]>((acc, list) => acc.flatMap((prefix) => list.map((x) => [...prefix, x])), [[]]);
}

const SCENARIO_COMBOS = combos(CLIENT_CHANNELS.map((c) => SCENARIOS_BY_CHANNEL[c])).map(
  (s) => Object.fromEntries(CLIENT_CHANNELS.map((c, i) => [c, s[i]!])) as Record<ClientChannel, Scenario>,
);
const OUTCOME_COMBOS = combos(CLIENT_CHANNELS.map(() => OUTCOMES)).map(
  (o) => Object.fromEntries(CLIENT_CHANNELS.map((c, i) => [c, o[i]!])) as Record<ClientChannel, Outcome>,
);

/**
 * Runs the cascade to completion the way the dispatcher will: send what it says, record the result, ask again.
 * `async`: a send is first pending, its report arrives on the next round.
 */
function simulate(scenarios: Record<ClientChannel, Scenario>, outcomes: Record<ClientChannel, Outcome>, async: boolean): ClientChannel[] {
  const reach: Partial<Record<Channel, Reachability>> = {};
  for (const c of CLIENT_CHANNELS) reach[c] = outcomes[c] === 'notTried' ? { reachable: false, reason: 'noPushToken' } : { reachable: true };
  const attempts: Partial<Record<Channel, Attempt>> = {};
  const sent: ClientChannel[] = [];
  let now = 0;
  for (let round = 0; round < 20; round += 1) {
    // Reports of the previous round arrive.
    for (const c of sent) if (attempts[c]?.status === 'pending') attempts[c] = { status: outcomes[c] as 'delivered' | 'failed' };
    const d = decideCascade({ scenarios, reach, attempts, now });
    for (const c of d.send as ClientChannel[]) {
      expect(sent).not.toContain(c);
      sent.push(c);
      attempts[c] = async ? { status: 'pending', verdictDeadline: now + 600_000, lastKnown: 'inFlight' } : { status: outcomes[c] as 'delivered' | 'failed' };
    }
    const anyPending = Object.values(attempts).some((a) => a.status === 'pending');
    if (d.complete && !anyPending) return sent;
    if (!async) expect(d.send.length).toBeGreaterThan(0);
    now += 1000;
  }
  throw new Error('cascade did not complete');
}

/** The rule of DESIGN §3 written the plain way. */
function reference(scenarios: Record<ClientChannel, Scenario>, outcomes: Record<ClientChannel, Outcome>): ClientChannel[] {
  const sent: ClientChannel[] = [];
  let delivered = false;
  for (const c of CLIENT_CHANNELS) {
    if (scenarios[c] === 'off') continue;
    if (scenarios[c] === 'ifPreviousFailed' && delivered) continue;
    if (outcomes[c] === 'notTried') continue;
    sent.push(c);
    if (outcomes[c] === 'delivered') delivered = true;
  }
  return sent;
}

describe('cascade truth table (DESIGN §3)', () => {
  it('covers every allowed scenario combination of the four client channels', () => {
    expect(SCENARIO_COMBOS).toHaveLength(2 * 2 * 3 * 3);
    expect(OUTCOME_COMBOS).toHaveLength(81);
  });

  for (const async of [false, true]) {
    it(`holds for all ${SCENARIO_COMBOS.length} × ${OUTCOME_COMBOS.length} cases (${async ? 'delivery reports' : 'synchronous verdicts'})`, () => {
      let cases = 0;
      for (const scenarios of SCENARIO_COMBOS) {
        for (const outcomes of OUTCOME_COMBOS) {
          const label = JSON.stringify({ scenarios, outcomes });
          const sent = simulate(scenarios, outcomes, async);
          const sentSet = new Set(sent);
          // A later `always` channel may go out before an earlier fallback that waits, so compare in cascade order.
          expect(CLIENT_CHANNELS.filter((c) => sentSet.has(c)), label).toEqual(reference(scenarios, outcomes));
          for (const [i, c] of CLIENT_CHANNELS.entries()) {
            // `off` never sends.
            if (scenarios[c] === 'off') expect(sentSet.has(c), label).toBe(false);
            // `always` sends iff reachable.
            if (scenarios[c] === 'always') expect(sentSet.has(c), label).toBe(outcomes[c] !== 'notTried');
            // `ifPreviousFailed` only when every earlier channel failed or could not be tried (or was off/skipped).
            if (scenarios[c] === 'ifPreviousFailed' && sentSet.has(c)) {
              for (const earlier of CLIENT_CHANNELS.slice(0, i)) {
                if (sentSet.has(earlier)) expect(outcomes[earlier], label).toBe('failed');
              }
            }
          }
          // The client gets the message if any enabled channel could deliver it.
          const couldDeliver = CLIENT_CHANNELS.some((c) => scenarios[c] !== 'off' && outcomes[c] === 'delivered');
          expect(sent.some((c) => outcomes[c] === 'delivered'), label).toBe(couldDeliver);
          // Never twice by fallback: at most one fallback delivers, and none after a delivered channel.
          const fallbacksDelivered = sent.filter((c) => scenarios[c] === 'ifPreviousFailed' && outcomes[c] === 'delivered');
          expect(fallbacksDelivered.length, label).toBeLessThanOrEqual(1);
          for (const [i, c] of CLIENT_CHANNELS.entries()) {
            if (scenarios[c] === 'ifPreviousFailed' && sentSet.has(c)) {
              expect(CLIENT_CHANNELS.slice(0, i).some((e) => sentSet.has(e) && outcomes[e] === 'delivered'), label).toBe(false);
            }
          }
          cases += 1;
        }
      }
      expect(cases).toBe(2916);
    });
  }
});

describe('decideCascade details', () => {
  const spec: CascadeInput['scenarios'] = { email: 'always', aggregatorPush: 'always', brandedPush: 'ifPreviousFailed', sms: 'ifPreviousFailed' };
  const allReachable: CascadeInput['reach'] = {
    email: { reachable: true },
    aggregatorPush: { reachable: true },
    brandedPush: { reachable: true },
    sms: { reachable: true },
  };

  it('first round: always-channels go out, fallbacks wait for them without a timer yet', () => {
    const d = decideCascade({ scenarios: spec, reach: allReachable, attempts: {}, now: 0 });
    expect(d.send).toEqual(['email', 'aggregatorPush']);
    expect(d.waiting).toEqual(['brandedPush', 'sms']);
    expect(d.channels[2]).toEqual({ channel: 'brandedPush', action: 'wait', waitingFor: ['email', 'aggregatorPush'] });
    expect(d.channels[3]).toEqual({ channel: 'sms', action: 'wait', waitingFor: ['email', 'aggregatorPush', 'brandedPush'] });
    expect(d.complete).toBe(false);
    expect(d.nextCheckAt).toBeUndefined();
  });

  it('waits until the verdict window, then counts unconfirmed email as delivered', () => {
    const attempts: CascadeInput['attempts'] = {
      email: { status: 'pending', verdictDeadline: 600_000, lastKnown: 'inFlight' },
      aggregatorPush: { status: 'failed', reason: 'token expired' },
    };
    const before = decideCascade({ scenarios: spec, reach: allReachable, attempts, now: 60_000 });
    expect(before.send).toEqual([]);
    expect(before.waiting).toEqual(['brandedPush', 'sms']);
    expect(before.nextCheckAt).toBe(600_000);
    const after = decideCascade({ scenarios: spec, reach: allReachable, attempts, now: 600_000 });
    expect(after.channels[0]).toEqual({ channel: 'email', action: 'attempted', verdict: 'delivered', basis: 'windowElapsed' });
    expect(after.send).toEqual([]);
    expect(after.channels.slice(2).map((c) => c.action === 'skip' && c.reason)).toEqual(['earlierDelivered', 'earlierDelivered']);
    expect(after.complete).toBe(true);
    expect(after.delivered).toBe(true);
  });

  it('a bounce known at the window end makes the fallback go; only one fallback at a time', () => {
    const attempts: CascadeInput['attempts'] = {
      email: { status: 'pending', verdictDeadline: 600_000, lastKnown: 'failed' },
      aggregatorPush: { status: 'notTried', reason: 'appNotInstalled' },
    };
    const d = decideCascade({ scenarios: spec, reach: allReachable, attempts, now: 600_000 });
    expect(d.send).toEqual(['brandedPush']);
    expect(d.waiting).toEqual(['sms']);
    const next = decideCascade({
      scenarios: spec,
      reach: allReachable,
      attempts: { ...attempts, brandedPush: { status: 'pending', verdictDeadline: 900_000 } },
      now: 610_000,
    });
    expect(next.send).toEqual([]);
    expect(next.nextCheckAt).toBe(900_000);
    const last = decideCascade({
      scenarios: spec,
      reach: allReachable,
      attempts: { ...attempts, brandedPush: { status: 'failed' } },
      now: 700_000,
    });
    expect(last.send).toEqual(['sms']);
  });

  it('the verdict window never waits past the deadline; at the deadline the last known status decides', () => {
    const attempts: CascadeInput['attempts'] = {
      email: { status: 'notTried', reason: 'noEmailAddress' },
      aggregatorPush: { status: 'notTried', reason: 'appNotInstalled' },
      brandedPush: { status: 'pending', verdictDeadline: 10_000_000, lastKnown: 'failed' },
    };
    const waiting = decideCascade({ scenarios: spec, reach: allReachable, attempts, now: 1_000, deadline: 5_000 });
    expect(waiting.waiting).toEqual(['sms']);
    expect(waiting.nextCheckAt).toBe(5_000);
    const atDeadline = decideCascade({ scenarios: spec, reach: allReachable, attempts, now: 5_000, deadline: 5_000 });
    expect(atDeadline.channels[2]).toMatchObject({ verdict: 'failed', basis: 'deadline' });
    expect(atDeadline.send).toEqual(['sms']);
  });

  it('no new send at or after notAfter: a late fallback is skipped as tooLate', () => {
    const attempts: CascadeInput['attempts'] = { email: { status: 'failed' }, aggregatorPush: { status: 'failed' } };
    const d = decideCascade({ scenarios: spec, reach: allReachable, attempts, now: 9_000, notAfter: 9_000 });
    expect(d.send).toEqual([]);
    expect(d.channels[2]).toEqual({ channel: 'brandedPush', action: 'skip', reason: 'tooLate' });
    expect(d.complete).toBe(true);
    expect(d.delivered).toBe(false);
  });

  it('a provider that is not configured counts as could-not-be-tried, so the fallback is used', () => {
    const d = decideCascade({
      scenarios: { email: 'off', aggregatorPush: 'off', brandedPush: 'always', sms: 'ifPreviousFailed' },
      reach: { brandedPush: { reachable: false, reason: 'providerNotConfigured' }, sms: { reachable: true } },
      attempts: {},
      now: 0,
    });
    expect(d.channels[2]).toEqual({ channel: 'brandedPush', action: 'skip', reason: 'unreachable', detail: 'providerNotConfigured' });
    expect(d.send).toEqual(['sms']);
  });

  it('a channel with no reachability given is not applicable', () => {
    const d = decideCascade({ scenarios: { email: 'always' }, reach: {}, attempts: {}, now: 0 });
    expect(d.channels).toEqual([{ channel: 'email', action: 'skip', reason: 'unreachable', detail: 'notApplicable' }]);
    expect(d.complete).toBe(true);
  });

  it('works for the staff channels too: admin push, SMS fallback, desktop toast', () => {
    const d = decideCascade({
      scenarios: { adminPush: 'always', sms: 'ifPreviousFailed', desktop: 'always' },
      reach: { adminPush: { reachable: true }, sms: { reachable: true }, desktop: { reachable: true } },
      attempts: {},
      now: 0,
    });
    expect(d.send).toEqual(['adminPush', 'desktop']);
    expect(d.waiting).toEqual(['sms']);
  });
});

describe('verdictAfterWindow', () => {
  it('email is delivered unless a failure is known; others follow the last known status', () => {
    expect(verdictAfterWindow('email', undefined)).toBe('delivered');
    expect(verdictAfterWindow('email', 'inFlight')).toBe('delivered');
    expect(verdictAfterWindow('email', 'failed')).toBe('failed');
    expect(verdictAfterWindow('sms', 'failed')).toBe('failed');
    expect(verdictAfterWindow('sms', 'delivered')).toBe('delivered');
    expect(verdictAfterWindow('brandedPush', 'inFlight')).toBe('delivered');
  });
});

describe('validateScenarios', () => {
  it('refuses ifPreviousFailed on email, aggregatorPush, adminPush and desktop, naming the field', () => {
    const issues = validateScenarios(
      { email: 'ifPreviousFailed', aggregatorPush: 'ifPreviousFailed', adminPush: 'ifPreviousFailed', desktop: 'ifPreviousFailed', brandedPush: 'ifPreviousFailed', sms: 'ifPreviousFailed' },
      'reminder.channels',
    );
    expect(issues.map((i) => i.field)).toEqual([
      'reminder.channels.email',
      'reminder.channels.aggregatorPush',
      'reminder.channels.adminPush',
      'reminder.channels.desktop',
    ]);
    expect(issues[0]!.message).toBe("reminder.channels.email: 'ifPreviousFailed' is not allowed for email (only for brandedPush and sms)");
  });

  it('refuses unknown channels and scenarios, accepts every allowed combination', () => {
    expect(validateScenarios({ fax: 'always' }, 'reminder.channels')[0]!.message).toMatch(/^reminder\.channels\.fax: unknown channel 'fax'/);
    expect(validateScenarios({ sms: 'sometimes' }, 'reminder.channels')[0]!.message).toBe(
      'reminder.channels.sms: unknown scenario "sometimes" (allowed for sms: off, always, ifPreviousFailed)',
    );
    for (const s of SCENARIO_COMBOS) expect(validateScenarios(s)).toEqual([]);
  });
});
