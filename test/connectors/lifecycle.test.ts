import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectorStack, startConnectorStack } from './support.js';

/** Both connectors end to end: vendor simulator → connector → FIFO queue → worker → Meeting simulator. */
let t: ConnectorStack;

beforeAll(async () => {
  t = await startConnectorStack({ startWorker: true, env: { DISABLE_LINGER_MS: '0' } });
});
afterAll(() => t?.close());

const member = (employeeId: string) =>
  t.stack.simulator!.members().find((m) => m.thirdAccount === employeeId);
const settle = () => t.stack.drain();
/** A hire through BambooHR (e-mail <first name>@corp.example), applied by the worker. */
const bambooHrHire = async (firstName: string, lastName: string, jobTitle?: string) => {
  const workEmail = `${firstName.toLowerCase()}@corp.example`;
  const { id } = await t.bamboohr.hire({ firstName, lastName, workEmail, ...(jobTitle && { jobTitle }) });
  await settle();
  return { id, employeeId: `bamboohr-${id}` };
};

describe('BambooHR → Meeting', () => {
  it('creates, disables, re-enables and updates the member as HR changes', async () => {
    const { id, employeeId } = await bambooHrHire('Grace', 'Hopper', 'Engineer');
    expect(member(employeeId)).toMatchObject({
      name: 'Grace Hopper',
      email: 'grace@corp.example',
      title: 'Engineer',
      status: 0,
    });

    expect((await t.bamboohr.terminate(id)).body.type).toBe('employee.terminated');
    await settle();
    expect(member(employeeId)?.status).toBe(1);

    expect((await t.bamboohr.rehire(id)).body.type).toBe('employee.rehired');
    await settle();
    expect(member(employeeId)?.status).toBe(0);

    expect((await t.bamboohr.update(id, { jobTitle: 'Rear Admiral' })).body.type).toBe('employee.updated');
    await settle();
    expect(member(employeeId)).toMatchObject({ title: 'Rear Admiral', status: 0 });
    expect(t.stack.dlq.stats().sent).toBe(0);
  });

  it('a deleted record becomes a termination that keeps the fields Meeting already has', async () => {
    const { id, employeeId } = await bambooHrHire('Ada', 'Lovelace', 'Analyst');
    await t.bamboohr.remove(id);
    await settle();
    expect(member(employeeId)).toMatchObject({
      status: 1,
      name: 'Ada Lovelace',
      email: 'ada@corp.example',
      title: 'Analyst',
    });
  });

  it('does not depend on delivery order: a late termination notice after a rehire reads the rehire', async () => {
    const { id, employeeId } = await bambooHrHire('Late', 'Notice');
    const record = t.bamboohr.record(id)!;
    // Terminated and rehired in BambooHR; the rehire's notice arrives first, the termination's later.
    t.bamboohr.put({ ...record, status: 'Inactive', employmentHistoryStatus: 'Terminated' });
    t.bamboohr.put({ ...record, status: 'Active', employmentHistoryStatus: 'Full-Time' });
    await t.bamboohr.send('employee.updated', id, { changedFields: ['employmentHistoryStatus'] });
    const late = await t.bamboohr.send('employee.updated', id, {
      changedFields: ['status', 'employmentHistoryStatus'],
    });
    expect(late.body.type).not.toBe('employee.terminated');
    await settle();
    expect(member(employeeId)?.status).toBe(0);
  });
});

describe('Feishu/Lark → Meeting', () => {
  it('creates, updates, disables and re-enables the member as the directory changes', async () => {
    const { user } = await t.feishu.createUser({
      name: '李四',
      en_name: 'Li Si',
      enterprise_email: 'lisi@corp.example',
      job_title: 'PM',
    });
    await settle();
    expect(member(user.open_id)).toMatchObject({
      name: '李四',
      englishName: 'Li Si',
      title: 'PM',
      status: 0,
    });

    expect((await t.feishu.update(user.open_id, { job_title: 'Director' })).body.type).toBe(
      'employee.updated',
    );
    await settle();
    expect(member(user.open_id)?.title).toBe('Director');

    expect((await t.feishu.resign(user.open_id)).body.type).toBe('employee.terminated');
    await settle();
    expect(member(user.open_id)?.status).toBe(1);

    expect((await t.feishu.restore(user.open_id)).body.type).toBe('employee.rehired');
    await settle();
    expect(member(user.open_id)?.status).toBe(0);
    expect(t.stack.dlq.stats().sent).toBe(0);
  });
});
