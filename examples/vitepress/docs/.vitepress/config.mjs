// VitePress configuration for the vfio-kvm-explorer recipe (docs/.vitepress/config.mjs).
// A plain object (VitePress's defineConfig only adds types), so it loads without VitePress installed.

/** Where the explorer's dist/ is served. Locally: `npm run build && npm run preview` in the explorer. */
export const EXPLORER = 'http://127.0.0.1:4173';

export default {
  title: 'vfio-kvm-explorer in VitePress',
  description: 'The <vfio-kvm-explorer> custom element in a VitePress site',
  head: [
    // The element: one ES module file (for production, copy it into docs/public/ and use '/vfio-kvm-explorer.js').
    ['script', { type: 'module', src: `${EXPLORER}/vfio-kvm-explorer.js` }],
  ],
  vue: {
    template: {
      compilerOptions: {
        // Tell Vue that <vfio-kvm-explorer> is a custom element, not a Vue component to resolve.
        isCustomElement: (tag) => tag === 'vfio-kvm-explorer',
      },
    },
  },
};
