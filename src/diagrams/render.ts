/**
 * Standalone SVG files from the diagram components, for the CLI's `render`
 * and for tests. Kept out of index.ts on purpose: it pulls in
 * react-dom/server, which the page does not need.
 */
import { createElement, type ComponentType } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';

/** `<?xml …?>` + the component's markup: an .svg file that opens in any viewer. */
export function renderSvgFile<P extends object>(component: ComponentType<P>, props: P): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${renderToStaticMarkup(createElement(component, props))}\n`;
}
