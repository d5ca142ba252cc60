/**
 * The custom element <vfio-kvm-explorer> as one ES module file,
 * dist/vfio-kvm-explorer.js, next to the pages of vite.config.ts (run after
 * it: `npm run build`). Everything is inlined: React, the model, the styles
 * (as strings for a constructable stylesheet), so a host page makes exactly
 * one request for it. The interleaving explorer (and its Web Worker) is left
 * out: src/element/no-explorer.ts stands in for src/view/deps/explorer.ts.
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const stub = fileURLToPath(new URL('src/element/no-explorer.ts', import.meta.url));

export default defineConfig({
  plugins: [react()],
  publicDir: false,
  resolve: {
    alias: [{ find: /^.*\/deps\/explorer\.ts$/, replacement: stub }],
  },
  // A library build keeps process.env.NODE_ENV for its users; the element is a finished bundle.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: false,
    sourcemap: false,
    minify: true,
    copyPublicDir: false,
    lib: {
      entry: fileURLToPath(new URL('src/element/vfio-kvm-explorer.tsx', import.meta.url)),
      formats: ['es'],
      fileName: () => 'vfio-kvm-explorer.js',
    },
    rollupOptions: {
      // One file; and minified whitespace too (Vite keeps it in an 'es' library build, for its users' tree-shaking).
      output: { codeSplitting: false, minify: true },
    },
  },
});
