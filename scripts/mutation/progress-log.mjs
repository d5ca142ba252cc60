// A Stryker reporter (named `progress-log` in stryker.config.mjs): appends each tested mutant to
// reports/mutation/progress.ndjson as it is decided ({ file, line, mutator, status }, one JSON object a line).
// Stryker writes its JSON report only when the whole run ends; on a busy 2-core machine a full run can take
// hours, and a run that is stopped leaves nothing. `npm run bench -- --mutation --partial` counts this file
// instead, per folder, so a cut-short run still has honest (partial) figures.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { PluginKind, declareClassPlugin } from '@stryker-mutator/api/plugin';

export const PROGRESS_FILE = 'reports/mutation/progress.ndjson';

class ProgressLog {
  onDryRunCompleted() {
    mkdirSync(dirname(PROGRESS_FILE), { recursive: true });
    writeFileSync(PROGRESS_FILE, '');
  }
  onMutantTested(r) {
    const line = {
      file: relative(process.cwd(), r.fileName).split('\\').join('/'),
      line: r.location.start.line,
      mutator: r.mutatorName,
      replacement: r.replacement,
      status: r.status,
    };
    appendFileSync(PROGRESS_FILE, JSON.stringify(line) + '\n');
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'progress-log', ProgressLog)];
