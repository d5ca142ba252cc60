// Docusaurus configuration for the vfio-kvm-explorer recipe. Build: npm run build (docusaurus build).
// @ts-check

/** @type {import('@docusaurus/types').Config} */
export default {
  title: 'vfio-kvm-explorer in Docusaurus',
  tagline: 'The KVM reference flow of 421cfe6596f6, step by step',
  url: process.env.SITE_URL || 'http://localhost:3000',
  baseUrl: '/',
  favicon: undefined,
  onBrokenLinks: 'throw',
  trailingSlash: false,
  customFields: {
    // The one place for the explorer's address: where its build (dist/) is served. Locally,
    // `npm run build && npm run preview` in the explorer serves it at http://127.0.0.1:4173;
    // a deployment can set VFIO_KVM_EXPLORER_URL instead of editing this file.
    vfioKvmExplorer: process.env.VFIO_KVM_EXPLORER_URL || 'http://127.0.0.1:4173',
  },
  presets: [
    [
      'classic',
      /** @type {import('@docusaurus/preset-classic').Options} */
      ({
        docs: { routeBasePath: '/', sidebarPath: './sidebars.js' },
        blog: false,
        pages: false,
      }),
    ],
  ],
  themeConfig: {
    // The site's own light/dark switch (the explorer follows it, not the reader's system).
    colorMode: { defaultMode: 'light', respectPrefersColorScheme: false },
    navbar: { title: 'vfio-kvm-explorer' },
  },
};
