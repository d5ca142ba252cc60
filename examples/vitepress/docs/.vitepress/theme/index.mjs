// The default theme, plus <VfioKvmExplorer> for every page (docs/.vitepress/theme/index.mjs).
import DefaultTheme from 'vitepress/theme';
import VfioKvmExplorer from './VfioKvmExplorer.vue';

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('VfioKvmExplorer', VfioKvmExplorer);
  },
};
