// A Stryker ignorer (https://stryker-mutator.io/docs/stryker-js/configuration/#ignorers), named in
// stryker.config.mjs: leaves out of the mutation run what is prose, not logic — each era's `info` (title,
// dates, summary, description, why, changes, links) in src/model/eras/*.ts. Those strings are shown to the
// reader; no behaviour depends on them, and a test that pinned each one would only copy it. The era's
// `switches`, in the same files, are mutated. Ignored mutants count neither for nor against the score.
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

const ERA_FILE = /src[\\/]model[\\/]eras[\\/][^\\/]+\.ts$/;

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'era-prose', {
    shouldIgnore(path) {
      // Called top-down on every node; everything under an ignored node is ignored with it.
      if (!path.isVariableDeclarator() || path.node.id.type !== 'Identifier' || path.node.id.name !== 'info')
        return undefined;
      if (!ERA_FILE.test(path.hub?.file?.opts?.filename ?? '')) return undefined;
      return 'An era’s prose (its `info`): shown to the reader, not logic.';
    },
  }),
];
