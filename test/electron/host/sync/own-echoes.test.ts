/**
 * Which pulled versions the desk's storage refuses (own-echoes.ts): a version the feed handed over below this desk's
 * own later push of the document, and nothing else. The write through real sync is own-echo.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { EchoTracker, OwnEchoes } from '../../../../electron/host/sync/own-echoes.ts';

/** CouchDB's form of a client, as the feed hands it over. */
function pulled(rev: string, firstName: string) {
  return { _id: 'c-1', _rev: rev, locationId: 'loc-1', firstName };
}

/** The desk's form of the same version, as RxDB writes it (its own revision and meta). */
function written(firstName: string) {
  return { id: 'c-1', locationId: 'loc-1', firstName, _rev: '7-local', _meta: { lwt: 1 }, _attachments: {}, _deleted: false };
}

describe('own echoes', () => {
  it('refuses the echo of a push when the desk has pushed the document again since, and writes the later push', () => {
    const echoes = new EchoTracker();
    echoes.pushed('c-1', '2-a');
    echoes.handed(pulled('2-a', 'first'));
    echoes.pushed('c-1', '3-b');
    echoes.handed(pulled('3-b', 'second'));
    expect(echoes.outdated(written('first'))).toBe(true);
    expect(echoes.outdated(written('second'))).toBe(false);
  });

  it('writes a version edited back to an earlier content at a later revision (another desk undid an edit)', () => {
    const echoes = new EchoTracker();
    echoes.pushed('c-1', '2-a');
    echoes.handed(pulled('2-a', 'first'));
    echoes.pushed('c-1', '3-b');
    echoes.handed(pulled('4-c', 'first'));
    expect(echoes.outdated(written('first'))).toBe(false);
  });

  it('writes what it cannot match: a document this desk never pushed, or content the feed did not hand over', () => {
    const echoes = new EchoTracker();
    echoes.handed(pulled('1-a', 'theirs'));
    expect(echoes.outdated(written('theirs'))).toBe(false);
    echoes.pushed('c-1', '3-b');
    expect(echoes.outdated(written('unknown'))).toBe(false);
  });

  it('asks only the trackers of the collection, and forgets a replication that stopped', () => {
    const all = new OwnEchoes();
    const { tracker, release } = all.track('clients');
    tracker.pushed('c-1', '2-a');
    tracker.handed(pulled('2-a', 'first'));
    tracker.pushed('c-1', '3-b');
    expect(all.outdated('staff', written('first'))).toBe(false);
    release();
    expect(all.outdated('clients', written('first'))).toBe(false);
  });
});
