// Checked by `tsc -p examples/vitepress` (e2e/examples-vitepress.spec.ts): the declarations describe the tag and the component.
import type { GlobalComponents } from 'vue';
import type { VfioKvmExplorerProps } from './docs/.vitepress/theme/vfio-kvm-explorer.d.ts';

export const element: HTMLElement = document.createElement('vfio-kvm-explorer');
type Props = InstanceType<GlobalComponents['VfioKvmExplorer']>['$props'];
export const ok: Props = { scenario: 'last-ref-deadlock', era: 'after', step: 31, theme: 'dark' };
export const props: VfioKvmExplorerProps = { scenario: 'happy-path', step: '3' };
// @ts-expect-error: a theme is light, dark or auto
export const badTheme: Props = { scenario: 'happy-path', theme: 'pink' };
// @ts-expect-error: the scenario is required
export const noScenario: VfioKvmExplorerProps = { era: 'after' };
