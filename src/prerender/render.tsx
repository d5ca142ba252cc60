/**
 * Build-time rendering of the page's default view (what the explorer shows
 * for an address without parameters): the model runs here, in Node, and
 * react-dom/static writes the markup, lazily loaded panels included, that
 * ./plugin.ts puts into dist/index.html. The browser hydrates it (../main.tsx).
 */
import { prerender } from 'react-dom/static';
import { explorerTree } from './tree.tsx';
import { preloadPanels } from '../view/components/Deferred.tsx';

async function render(): Promise<string> {
  // Every panel in place, as the page will render it when it adopts this markup (../main.tsx).
  await preloadPanels();
  const { prelude } = await prerender(explorerTree('', ''), {
    // Never outline a finished boundary for progressive loading: the page is one piece.
    progressiveChunkSize: Number.POSITIVE_INFINITY,
  });
  const reader = prelude.getReader();
  const decoder = new TextDecoder();
  let html = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    html += decoder.decode(value, { stream: true });
  }
  return html + decoder.decode();
}

/**
 * The markup, every Suspense boundary written in place (an outlined or pending
 * one would need React's inline completion scripts, which the page's content
 * security policy does not allow).
 */
export async function renderDefaultView(): Promise<string> {
  const html = await render();
  if (/<!--\$[?!]-->|<template|<script/.test(html))
    throw new Error('prerender: the default view still has a pending or failed Suspense boundary');
  return html;
}
