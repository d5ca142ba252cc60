// VitePress configuration for the vfio-kvm-explorer recipe (docs/.vitepress/config.mjs).
// A plain object (VitePress's defineConfig only adds types).

/**
 * The one place for the explorer's address: where its build (dist/) is served.
 * Locally, `npm run build && npm run preview` in the explorer serves it at http://127.0.0.1:4173;
 * a deployment can set VFIO_KVM_EXPLORER_URL instead of editing this file.
 */
export const EXPLORER = (process.env.VFIO_KVM_EXPLORER_URL || 'http://127.0.0.1:4173').replace(/\/$/, '');

export default {
  title: 'vfio-kvm-explorer in VitePress',
  description: 'The vfio-kvm-explorer custom element in a VitePress site',
  head: [
    // The element: one ES module file. From another origin it needs CORS (Access-Control-Allow-Origin);
    // or copy dist/vfio-kvm-explorer.js into docs/public/ and load '/vfio-kvm-explorer.js'.
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
  themeConfig: {
    nav: [
      { text: 'The last reference', link: '/' },
      { text: 'With the fixes', link: '/fixed' },
    ],
    sidebar: [
      {
        text: 'vfio-kvm-explorer',
        items: [
          { text: 'The last reference', link: '/' },
          { text: 'With the fixes', link: '/fixed' },
        ],
      },
    ],
  },
};
