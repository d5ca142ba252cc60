/**
 * What the diagrams must draw at step n, from the model: the reference flow's
 * nodes and edges (VM users_count and state, group->kvm, open_count,
 * device->kvm, the driver's pointer and reference) and the lock diagram's
 * owners and FIFO waiters. Read from the SVG's own <title>s, so it is what
 * is drawn, not a side list.
 */
import { expect, type Page } from '@playwright/test';
import { buildLocks, describeFlow, inferredNotes } from './app.ts';
import type { Derived } from '../../src/view/player/runs.ts';

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function ptr(vm: string | null): string {
  return vm === null ? 'is NULL' : `points to ${vm}`;
}

export function flowOptions(d: Derived, n: number) {
  const sc = d.run.model.scenario;
  return {
    step: n > 0 ? d.stepView(n) : null,
    totalSteps: d.total,
    violations: d.run.violations.filter((v) => v.step <= n),
    notes: inferredNotes(
      sc.id,
      d.run.model.v.id,
      Object.fromEntries(sc.devices.map((x) => [x.id, x.driver])),
    ),
  };
}

/** The main reference-flow SVG shows the model's facts at step n. */
export async function expectFlow(
  page: Page,
  d: Derived,
  n: number,
  scope = page.locator('.stage-body'),
): Promise<void> {
  const view = d.view(n);
  const f = describeFlow(view, flowOptions(d, n));
  const svg = scope.getByRole('img', { name: f.title, exact: true });
  await expect(svg).toBeVisible();
  await expect(svg).toHaveAccessibleName(/^KVM reference flow/);
  const titles = (await svg.locator('title').allTextContents()).map((t) => t.trim());
  const has = (re: RegExp, what: string) =>
    expect(
      titles.some((t) => re.test(t)),
      `${what}: ${re} in\n${titles.join('\n')}`,
    ).toBe(true);
  const STATE = { alive: 'alive', destroying: 'being destroyed', freed: 'freed' } as const;
  for (const vm of view.vms)
    has(new RegExp(`^VM ${vm.id}: ${STATE[vm.state]}, users_count ${vm.users}\\b`), `VM ${vm.id}`);
  for (const g of view.groups)
    has(new RegExp(`^Group ${g.id}: kvm ${esc(ptr(g.kvm.vm))}\\b`), `group ${g.id}`);
  for (const dev of view.devices) {
    has(
      new RegExp(
        `^Device ${dev.id} \\(group ${dev.group}, [^)]*\\): open_count ${dev.openCount}, .*${
          dev.kvm.exists ? esc(`device->kvm ${ptr(dev.kvm.vm)}`) : 'there is no device->kvm'
        }`,
      ),
      `device ${dev.id}`,
    );
    has(
      new RegExp(
        `for device ${dev.id} \\([^)]*\\): its pointer [^;]*?${esc(ptr(dev.driver.kvm.vm))}.*; it holds ${
          dev.driver.ref ? `a counted reference on ${dev.driver.refVm}` : 'no counted reference'
        }`,
      ),
      `driver of ${dev.id}`,
    );
  }
  // Every node and edge of the model's flow is drawn (one <title> each).
  for (const x of [...f.nodes, ...f.edges]) expect(titles, `drawn: ${x.id}`).toContain(x.text);
}

/** The lock diagram shows each lock's owners and its FIFO wait queue at step n. */
export async function expectLocks(page: Page, d: Derived, n: number): Promise<void> {
  const view = d.view(n);
  const spec = buildLocks(view, { step: n > 0 ? { n } : null, totalSteps: d.total });
  const svg = page.getByRole('img', { name: spec.title, exact: true });
  await expect(svg).toBeVisible();
  await expect(svg).toHaveAccessibleName(/^Locks — /);
  const titles = (await svg.locator('title').allTextContents()).map((t) => t.trim());
  for (const l of view.locks.filter((x) => x.exists && (x.owners.length || x.waiters.length))) {
    const row = titles.find((t) => t.startsWith(`${l.name} (`));
    expect(row, `row for ${l.name}`).toBeDefined();
    if (l.owners.length) expect(row).toContain(`held by ${l.owners[0]!.thread}`);
    else expect(row).toContain(': free');
    for (const o of l.owners) expect(row).toContain(o.thread);
    l.waiters.forEach((w, i) => expect(row).toContain(`${i + 1}. ${w.thread}`));
  }
  for (const l of view.locks.filter((x) => x.exists && !x.owners.length && !x.waiters.length)) {
    const row = titles.find((t) => t.startsWith(`${l.name} (`));
    if (row) expect(row).toContain(': free');
  }
}
