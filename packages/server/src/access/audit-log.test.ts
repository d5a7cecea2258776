import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../clock.ts';
import { isServiceError } from '../service-error.ts';
import { openStore, type Store } from '../store/store.ts';
import { AuditLog } from './audit-log.ts';
import type { AuditActor } from './principal.ts';

describe('audit log', () => {
  let store: Store;
  let audit: AuditLog;
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  const alice: AuditActor = { userId: 'u-alice', userName: 'Alice', address: '192.0.2.10' };
  const bob: AuditActor = { userId: 'u-bob', userName: 'bob', address: '2001:db8::1' };

  before(async () => {
    store = await openStore({ kind: 'pglite' });
    audit = new AuditLog(store.db, clock);
  });
  after(async () => {
    await store?.close();
  });

  it('records inside the caller’s transaction: a rolled-back change leaves no event', async () => {
    await assert.rejects(
      store.db.transaction().execute(async (trx) => {
        await audit.record(
          alice,
          { projectId: 'p1', action: 'registry.create', objectType: 'registry', objectId: 'r0' },
          trx,
        );
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    assert.equal((await audit.list({ projectIds: 'all' })).total, 0);
    const event = await store.db
      .transaction()
      .execute((trx) =>
        audit.record(
          alice,
          { projectId: 'p1', action: 'registry.create', objectType: 'registry', objectId: 'r1' },
          trx,
        ),
      );
    assert.equal(event.userName, 'Alice');
    assert.deepEqual(event.at, clock.now());
    assert.equal((await audit.list({ projectIds: 'all' })).total, 1);
  });

  it('never stores values under secret-looking keys', async () => {
    const event = await audit.record(alice, {
      projectId: 'p1',
      action: 'registry.update',
      objectType: 'registry',
      objectId: 'r1',
      details: {
        url: 'https://harbor.example',
        password: 'hunter2',
        nested: { api_key: 'k', Client_Secret: 's', kept: 1 },
      },
    });
    assert.deepEqual(event.details, {
      url: 'https://harbor.example',
      password: '[redacted]',
      nested: { api_key: '[redacted]', Client_Secret: '[redacted]', kept: 1 },
    });
    const [stored] = (await audit.list({ projectIds: ['p1'], action: 'registry.update' })).events;
    assert.equal(JSON.stringify(stored).includes('hunter2'), false);
  });

  it('lists newest first within the caller’s projects, filtered and paged, with the total', async () => {
    await store.db.deleteFrom('auditEvent').execute();
    clock.set('2026-03-02T00:00:00Z');
    await audit.record(alice, {
      projectId: 'p1',
      action: 'scan_task.create',
      objectType: 'scan_task',
      objectId: 't1',
    });
    await audit.record(bob, {
      projectId: 'p2',
      action: 'scan_task.stop',
      objectType: 'scan_task',
      objectId: 't2',
    });
    clock.advance(60_000);
    await audit.record(alice, {
      projectId: null,
      action: 'user.create',
      objectType: 'user',
      objectId: 'u-bob',
    });
    await audit.record(bob, {
      projectId: 'p1',
      action: 'scan_task.stop',
      objectType: 'scan_task',
      objectId: 't1',
    });
    clock.advance(60_000);
    await audit.record(alice, {
      projectId: 'p3',
      action: 'policy.set',
      objectType: 'policy',
      objectId: 'p3',
    });

    const everything = await audit.list({ projectIds: 'all' });
    assert.equal(everything.total, 5);
    assert.deepEqual(
      everything.events.map((event) => event.action),
      ['policy.set', 'scan_task.stop', 'user.create', 'scan_task.stop', 'scan_task.create'],
    );

    const mine = await audit.list({ projectIds: ['p1', 'p2'] });
    assert.deepEqual(
      mine.events.map((event) => [event.projectId, event.objectId]),
      [
        ['p1', 't1'],
        ['p2', 't2'],
        ['p1', 't1'],
      ],
    );
    assert.deepEqual(await audit.list({ projectIds: [] }), { events: [], total: 0 });

    const stops = await audit.list({ projectIds: 'all', action: 'scan_task.stop', userName: 'BOB' });
    assert.equal(stops.total, 2);
    const oneObject = await audit.list({ projectIds: 'all', objectType: 'scan_task', objectId: 't1' });
    assert.equal(oneObject.total, 2);
    const window = await audit.list({
      projectIds: 'all',
      from: '2026-03-02T00:01:00Z',
      to: new Date('2026-03-02T00:02:00Z'),
    });
    assert.deepEqual(
      window.events.map((event) => event.action),
      ['scan_task.stop', 'user.create'],
    );

    const page = await audit.list({ projectIds: 'all', limit: 2, offset: 2 });
    assert.equal(page.total, 5);
    assert.deepEqual(
      page.events.map((event) => event.action),
      ['user.create', 'scan_task.stop'],
    );

    for (const bad of [{ limit: 501 }, { offset: -1 }, { from: 'yesterday' }]) {
      await assert.rejects(audit.list({ projectIds: 'all', ...bad }), (error) => {
        assert.ok(isServiceError(error));
        assert.equal(error.code, 'invalid_request');
        return true;
      });
    }
    // Filter text is data, never SQL.
    assert.equal((await audit.list({ projectIds: 'all', action: "x' or '1'='1" })).total, 0);
  });

  it('exports CSV with formula cells defused, and JSON', async () => {
    await store.db.deleteFrom('auditEvent').execute();
    clock.set('2026-03-03T00:00:00Z');
    await audit.record(
      { userId: null, userName: '=HYPERLINK("http://evil.example","x")', address: '-1+2' },
      {
        projectId: 'p1',
        action: '+cmd',
        objectType: '@SUM(A1)',
        objectId: '\tx',
        details: { note: 'a, "b"' },
      },
    );
    await audit.record(alice, {
      projectId: 'p1',
      action: 'user.update',
      objectType: 'user',
      objectId: '\rq',
    });
    await audit.record(bob, {
      projectId: 'p9',
      action: 'user.update',
      objectType: 'user',
      objectId: 'hidden',
    });

    const csv = await audit.exportRows({ projectIds: ['p1'] }, 'csv');
    assert.equal(csv.rows, 2);
    const lines = csv.content.split('\r\n');
    assert.equal(lines[0], 'at,project_id,user_id,user_name,address,action,object_type,object_id,details');
    assert.equal(lines[1], `2026-03-03T00:00:00.000Z,p1,u-alice,Alice,192.0.2.10,user.update,user,"'\rq",{}`);
    assert.equal(
      lines[2],
      `2026-03-03T00:00:00.000Z,p1,,"'=HYPERLINK(""http://evil.example"",""x"")",'-1+2,'+cmd,'@SUM(A1),'\tx,"{""note"":""a, \\""b\\""""}"`,
    );
    assert.equal(csv.content.includes('hidden'), false);

    const json = await audit.exportRows({ projectIds: 'all', action: 'user.update' }, 'json');
    assert.equal(json.rows, 2);
    const document: unknown = JSON.parse(json.content);
    assert.deepEqual(document, {
      kind: 'audit',
      events: [
        {
          id: (await audit.list({ projectIds: 'all', objectId: 'hidden' })).events[0]?.id,
          at: '2026-03-03T00:00:00.000Z',
          projectId: 'p9',
          userId: 'u-bob',
          userName: 'bob',
          address: '2001:db8::1',
          action: 'user.update',
          objectType: 'user',
          objectId: 'hidden',
          details: {},
        },
        {
          id: (await audit.list({ projectIds: 'all', objectId: '\rq' })).events[0]?.id,
          at: '2026-03-03T00:00:00.000Z',
          projectId: 'p1',
          userId: 'u-alice',
          userName: 'Alice',
          address: '192.0.2.10',
          action: 'user.update',
          objectType: 'user',
          objectId: '\rq',
          details: {},
        },
      ],
    });
  });
});
