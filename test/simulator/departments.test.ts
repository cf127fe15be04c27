import { describe, expect, it } from 'vitest';
import { MEMBERS, newMember, useAdminApi, useSim } from './support.js';

const DEPT = '/v1/usg/dcs/corp/dept';
const handle = useSim();
const api = useAdminApi(handle);
const add = async (body: Record<string, unknown>) => {
  const res = await api('POST', DEPT, body);
  expect(res.status).toBe(200);
  return res.body.value as string;
};

describe('departments (docs/meeting-api.md §4)', () => {
  it('creates with a given or generated code and answers {"value": code}', async () => {
    expect(await add({ deptCode: 'D-SALES', deptName: 'Sales' })).toBe('D-SALES');
    const generated = await add({ deptName: 'Ops' });
    expect(generated).toMatch(/^\d+$/);
    const dup = await api('POST', DEPT, { deptCode: 'D-SALES', deptName: 'Again' });
    expect(dup.status).toBe(400);
    expect((await api('POST', DEPT, { deptCode: 'X' })).body.error_msg).toMatch(/deptName/);
    expect((await api('POST', DEPT, { deptName: 'Orphan', parentDeptCode: 'NOPE' })).status).toBe(400);
  });

  it('shows a department, its children, and finds departments by name', async () => {
    await add({ deptCode: 'S', deptName: 'Sales' });
    await add({ deptCode: 'S-EU', deptName: 'Sales Europe', parentDeptCode: 'S' });
    const brief = await api('GET', '/v1/usg/abs/departments/S');
    expect(brief.body).toEqual({
      deptCode: 'S',
      deptName: 'Sales',
      isLeafNodes: false,
      childDepts: [{ deptCode: 'S-EU', deptName: 'Sales Europe', isLeafNodes: true }],
    });
    const tree = await api('GET', '/v1/usg/dcs/member/dept/S');
    expect(tree.body).toMatchObject({ deptCode: 'S', parentDeptCode: '1', deptLevel: 1, isLeafNode: false });
    expect(tree.body.childDepts[0]).toMatchObject({
      deptNamePath: 'Demo Corp/Sales/Sales Europe',
      deptLevel: 2,
    });
    expect((await api('GET', '/v1/usg/dcs/member/dept/1')).body.childDepts).toHaveLength(1);
    const found = await api('GET', '/v1/usg/dcs/member/dept?deptName=europe');
    expect(found.body.map((d: { deptCode: string }) => d.deptCode)).toEqual(['S-EU']);
    expect((await api('GET', '/v1/usg/dcs/member/dept')).status).toBe(400);
    expect((await api('GET', '/v1/usg/abs/departments/NOPE')).status).toBe(400);
  });

  it('renames and moves a department; refuses a move under itself', async () => {
    await add({ deptCode: 'A', deptName: 'A' });
    await add({ deptCode: 'B', deptName: 'B' });
    await add({ deptCode: 'A1', deptName: 'A1', parentDeptCode: 'A' });
    const res = await api('PUT', `${DEPT}/A`, { deptName: 'Alpha', parentDeptCode: 'B' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect((await api('GET', '/v1/usg/dcs/member/dept/A1')).body.deptNamePath).toBe('Demo Corp/B/Alpha/A1');
    expect((await api('PUT', `${DEPT}/A`, { parentDeptCode: 'A1' })).status).toBe(400);
  });

  it('deletes only empty, non-root departments', async () => {
    await add({ deptCode: 'P', deptName: 'P' });
    await add({ deptCode: 'C', deptName: 'C', parentDeptCode: 'P' });
    await api('POST', MEMBERS, newMember({ account: 'in-c', deptCode: 'C' }));
    expect((await api('DELETE', `${DEPT}/P`)).status).toBe(400);
    expect((await api('DELETE', `${DEPT}/C`)).status).toBe(400);
    await api('POST', `${MEMBERS}/delete`, ['in-c']);
    expect((await api('DELETE', `${DEPT}/C`)).status).toBe(200);
    expect((await api('DELETE', `${DEPT}/P`)).status).toBe(200);
    expect((await api('DELETE', `${DEPT}/1`)).status).toBe(400);
    expect((await api('DELETE', `${DEPT}/P`)).status).toBe(400);
  });

  it('allows 100 children per parent, not 101', async () => {
    await add({ deptCode: 'WIDE', deptName: 'Wide' });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => api('POST', DEPT, { deptName: `w${i}`, parentDeptCode: 'WIDE' })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const over = await api('POST', DEPT, { deptName: 'one too many', parentDeptCode: 'WIDE' });
    expect(over.status).toBe(400);
    expect(over.body.error_msg).toMatch(/100/);
  });

  it('allows 10 levels below the root, not 11', async () => {
    let parent = '1';
    for (let level = 1; level <= 10; level++)
      parent = await add({ deptCode: `L${level}`, deptName: `L${level}`, parentDeptCode: parent });
    const over = await api('POST', DEPT, { deptName: 'L11', parentDeptCode: parent });
    expect(over.status).toBe(400);
    expect(over.body.error_msg).toMatch(/10/);
  });

  it('puts members in departments and searches sub-departments by default', async () => {
    await add({ deptCode: 'T', deptName: 'Tech' });
    await add({ deptCode: 'T-QA', deptName: 'QA', parentDeptCode: 'T' });
    const m = await api('POST', MEMBERS, newMember({ deptCode: 'T-QA' }));
    expect(m.body).toMatchObject({ deptCode: 'T-QA', deptName: 'QA', deptNamePath: 'Demo Corp/Tech/QA' });
    expect((await api('GET', `${MEMBERS}?deptCode=T`)).body.count).toBe(1);
    expect((await api('GET', `${MEMBERS}?deptCode=T&enableSubDept=false`)).body.count).toBe(0);
  });
});
