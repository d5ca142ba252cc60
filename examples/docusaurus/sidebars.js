// @ts-check
/** @type {import('@docusaurus/plugin-content-docs').SidebarsConfig} */
export default {
  docs: ['vfio-kvm-explorer', 'after-the-patch'],
};
