// Checked by `tsc -p examples/docusaurus` (e2e/examples-docusaurus.spec.ts): the component's props are typed.
import VfioKvmExplorer, { type VfioKvmExplorerProps } from '@site/src/components/VfioKvmExplorer';

export const ok = (
  <VfioKvmExplorer scenario="del-while-open" era="before" step={50} height={780} theme="dark" />
);
export const props: VfioKvmExplorerProps = {
  scenario: 'happy-path',
  schedule: 'Q,Q',
  explorer: 'https://x.example',
};
// @ts-expect-error: a theme is light, dark or auto
export const badTheme = <VfioKvmExplorer scenario="happy-path" theme="pink" />;
// @ts-expect-error: the step is a number
export const badStep = <VfioKvmExplorer scenario="happy-path" step="3" />;
// @ts-expect-error: the scenario is required
export const noScenario = <VfioKvmExplorer era="after" />;
