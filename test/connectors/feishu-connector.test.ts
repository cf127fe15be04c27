import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delivery } from '../../simulator/vendor-server.js';
import { type ConnectorStack, expectRefused, startConnectorStack } from './support.js';

let t: ConnectorStack;
const MAX_BODY = 4096;

beforeAll(async () => {
  t = await startConnectorStack({ env: { CONNECTOR_MAX_BODY_BYTES: String(MAX_BODY) } });
});
afterAll(() => t?.close());

let n = 0;
const newUser = (extra: Record<string, unknown> = {}) => {
  n += 1;
  return t.feishu.createUser({
    name: `张三${n}`,
    en_name: `Zhang San ${n}`,
    enterprise_email: `zhang${n}@corp.example`,
    job_title: 'PM',
    ...extra,
  });
};

describe('Feishu/Lark connector over HTTP', () => {
  it('answers the encrypted URL verification with the plain challenge, enqueueing nothing', async () => {
    const before = t.counts();
    expect(await t.feishu.verifyUrl('ajls384kdjx98XX')).toEqual({
      status: 200,
      body: { challenge: 'ajls384kdjx98XX' },
    });
    expect(t.counts()).toEqual(before);
  });

  it('turns contact.user.created_v3 into a hire from the user it reads', async () => {
    const { user, delivery } = await newUser();
    expect(delivery).toMatchObject({ status: 200, body: { type: 'employee.hired' } });
    const [queued] = t.queuedFor(user.open_id);
    expect(queued!.deduplicationId).toBe(delivery.body.eventId);
    expect(queued!.deduplicationId).toMatch(/^feishu-[0-9a-f]{32}$/);
    expect(queued!.event).toMatchObject({
      type: 'employee.hired',
      employeeId: user.open_id,
      member: { name: user.name, englishName: user.en_name, email: user.enterprise_email, title: 'PM' },
    });
  });

  it('reads the user with one tenant token for many events, and renews a revoked one', async () => {
    const before = t.feishu.counters().tokenRequests;
    await newUser();
    await newUser();
    expect(t.feishu.counters().tokenRequests).toBe(before);
    t.feishu.revokeTokens();
    expect((await newUser()).delivery.status).toBe(200);
    expect(t.feishu.counters().tokenRequests).toBe(before + 1);
  });

  it('recognises a retry of the same event_id (re-encrypted, re-signed) and enqueues nothing', async () => {
    const { delivery } = await newUser();
    const payload = t.feishu.sentPayloads().at(-1);
    const before = t.counts();
    expect(await t.feishu.post(payload)).toEqual(delivery);
    expect(t.counts()).toEqual(before);
  });

  it('maps a resignation (contact.user.deleted_v3) to a termination, also when the API no longer shows the user', async () => {
    const { user: shown } = await newUser();
    expect((await t.feishu.resign(shown.open_id)).body.type).toBe('employee.terminated');
    const { user: gone } = await newUser();
    const resigned = await t.feishu.resign(gone.open_id, { hide: true });
    expect(resigned.body.type).toBe('employee.terminated');
    // The fields come from the event then.
    expect(t.queuedFor(gone.open_id).at(-1)!.event.member).toMatchObject({ email: gone.enterprise_email });
  });

  it("dead-letters an update for a user outside the app's contact scope, with its reason", async () => {
    const { user } = await newUser();
    t.feishu.hide(user.open_id);
    const before = t.counts();
    const delivery = await t.feishu.update(user.open_id, { job_title: 'Lead' });
    expect(delivery).toMatchObject({ status: 200, body: { accepted: [], deadLettered: 'access_denied' } });
    expect(t.counts()).toEqual({ queued: before.queued, deadLettered: before.deadLettered + 1 });
    const letter = t.stack.dlq.messages().at(-1)!;
    expect(letter.groupId).toBe(user.open_id);
    expect(letter.attributes.reason).toMatch(
      /^feishu\.access_denied: user ou_\w+ is outside the app's contact scope \(code 41050\)$/,
    );
  });

  it('dead-letters a user without any e-mail as unmappable', async () => {
    const { delivery } = await newUser({ enterprise_email: undefined, email: undefined });
    expect(delivery.body).toMatchObject({ deadLettered: 'unmappable_record' });
  });

  describe('refuses hostile input with a 4xx and enqueues nothing', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const someone = () => t.feishu.put({ name: 'Target', enterprise_email: 't@corp.example' });
    /** A contact.user.created_v3 for a new user, its header fields and the way it is sent changed. */
    const created =
      (extra?: Record<string, unknown>, send?: Parameters<ConnectorStack['feishu']['sendEvent']>[3]) => () =>
        t.feishu.sendEvent('contact.user.created_v3', { object: someone() }, extra, send);
    /** The same, signed `offset` seconds from the time the test runs. */
    const stamped = (offset: number) => () => created({}, { timestamp: String(now() + offset) })();
    const schema1 = () =>
      t.feishu.post({
        uuid: 'u1',
        token: t.feishu.verificationToken,
        ts: '1',
        type: 'event_callback',
        event: { type: 'user_add' },
      });

    it.each<[string, () => Promise<Delivery>, number, string]>([
      ['a signature made with another key', created({}, { signKey: 'not-the-key' }), 401, 'bad_signature'],
      [
        'a body changed after signing',
        created({}, { tamper: (b) => b.replace('"}', 'A"}') }),
        401,
        'bad_signature',
      ],
      ['a replay with a timestamp older than the window (8 h)', stamped(-9 * 3600), 401, 'stale_timestamp'],
      ['an unsigned event', created({}, { sign: false }), 400, 'missing_headers'],
      [
        'a body encrypted with another key (signed with ours)',
        created({}, { encryptKey: 'another-encrypt-key' }),
        401,
        'bad_encryption',
      ],
      ['an unencrypted body', created({}, { plain: true }), 400, 'encryption_required'],
      ['a wrong verification token', created({ token: 'forged' }), 401, 'bad_token'],
      ['an event for another app', created({ app_id: 'cli_other' }), 403, 'wrong_app'],
      ['a URL verification with a wrong token', () => t.feishu.verifyUrl('c', 'forged'), 401, 'bad_token'],
      [
        'an unknown event type',
        () => t.feishu.sendEvent('contact.department.created_v3', { object: { department_id: 'D1' } }),
        422,
        'unsupported_event',
      ],
      ['a schema 1.0 event', schema1, 422, 'unsupported_event'],
      [
        'a compressed body (Content-Encoding: gzip)',
        created({}, { headers: { 'Content-Encoding': 'gzip' } }),
        415,
        'unsupported_content_encoding',
      ],
      [
        'an event without the user id',
        () => t.feishu.sendEvent('contact.user.created_v3', { object: { name: 'x' } }),
        422,
        'invalid_payload',
      ],
      [
        'an oversized body',
        () =>
          t.feishu.sendEvent('contact.user.created_v3', {
            object: { ...someone(), pad: 'x'.repeat(MAX_BODY) },
          }),
        413,
        'body_too_large',
      ],
    ])('%s', (_, send, status, code) => expectRefused(t, send, status, code));
  });
});
