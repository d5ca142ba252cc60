/**
 * Types for the explorer in a VitePress (Vue) site: the <vfio-kvm-explorer>
 * tag in the DOM's tag map, and the <VfioKvmExplorer> component that the
 * theme registers, for editors and vue-tsc.
 */
import type { DefineComponent } from 'vue';

export type VfioKvmExplorerTheme = 'light' | 'dark' | 'auto';

/** The element's attributes (all strings in HTML), and the wrapper's props. */
export interface VfioKvmExplorerProps {
  scenario: string;
  era?: string;
  step?: number | string;
  schedule?: string;
  theme?: VfioKvmExplorerTheme;
}

declare global {
  interface HTMLElementTagNameMap {
    'vfio-kvm-explorer': HTMLElement;
  }
}

declare module 'vue' {
  interface GlobalComponents {
    VfioKvmExplorer: DefineComponent<VfioKvmExplorerProps>;
  }
}
