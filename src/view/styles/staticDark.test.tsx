import { describe, expect, test } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { ReactElement } from 'react';
import { COLOUR_ATTRIBUTES, staticDarkCss } from './staticDark.ts';
import { ReferenceFlow } from '../../diagrams/ReferenceFlow.tsx';
import { LockDiagram } from '../../diagrams/LockDiagram.tsx';
import { SequenceChart } from '../../diagrams/SequenceChart.tsx';
import { DARK, LIGHT, themeColorMap, type ThemeName } from '../../diagrams/theme.ts';
import { moment } from '../../diagrams/testing.ts';
import { BUILTIN_IDS } from '../../scenarios/index.ts';
import { opLabel } from '../../model/model.ts';
import type { EraId } from '../../model/era.ts';

test('static-dark.css is the stylesheet staticDarkCss() writes', async () => {
  await expect(staticDarkCss()).toMatchFileSnapshot('./static-dark.css');
});

/** Every diagram the page draws, for one moment, in a theme. */
function diagrams(id: string, era: EraId, n: number, theme: ThemeName): ReactElement[] {
  const m = moment(id, era, n);
  const common = { view: m.view, step: m.step, totalSteps: m.steps.length, theme };
  return [
    <ReferenceFlow {...common} violations={m.violations} width={720} caption={false} fit idPrefix="f" />,
    <ReferenceFlow {...common} violations={m.violations} width={318} caption={false} fit idPrefix="n" />,
    <LockDiagram {...common} idPrefix="l" />,
    <SequenceChart
      steps={m.steps}
      threads={m.threads}
      current={m.n}
      opLabels={m.run.model.scenario.steps.map(opLabel)}
      violations={m.run.violations}
      theme={theme}
      idPrefix="s"
    />,
  ];
}

const LIGHT_TO_DARK = themeColorMap(LIGHT, DARK);
const COLOUR = new RegExp(`\\b(${COLOUR_ATTRIBUTES.join('|')})="(#[0-9a-fA-F]{6})"`, 'g');

/** The light drawing with every colour attribute replaced as static-dark.css replaces it. */
function recoloured(lightSvg: string): string {
  return lightSvg
    .replace(COLOUR, (all, attr: string, c: string) =>
      LIGHT_TO_DARK.has(c) ? `${attr}="${LIGHT_TO_DARK.get(c)!}"` : all,
    )
    .replace(/data-theme="light"/g, 'data-theme="dark"');
}

describe('the light drawing recoloured by static-dark.css is the dark drawing', () => {
  for (const era of ['v5.18', 'after', 'v6.6'] as const)
    test(`every built-in scenario in ${era}, at its start, its middle and its end`, () => {
      for (const id of BUILTIN_IDS) {
        const last = moment(id, era).n;
        for (const n of new Set([0, Math.floor(last / 2), last])) {
          const light = diagrams(id, era, n, 'light').map((d) => renderToStaticMarkup(d));
          const dark = diagrams(id, era, n, 'dark').map((d) => renderToStaticMarkup(d));
          light.forEach((svg, i) =>
            expect(recoloured(svg), `${id} in ${era}, step ${n}, diagram ${i}`).toBe(dark[i]),
          );
        }
      }
    });
});
