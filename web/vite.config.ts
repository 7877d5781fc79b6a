import { defineConfig } from 'vite';

// React without @vitejs/plugin-react (its optional Babel peers clash with this project's tree): Vite's own
// transform compiles JSX with the automatic runtime. No fast refresh; the console is built, not developed live here.
export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // No inline module-preload polyfill script: the CSP allows no inline scripts.
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 300,
    rollupOptions: {
      // TanStack Query marks its modules "use client" (for React Server Components): meaningless in a browser bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: { proxy: { '/v1': 'http://127.0.0.1:3000', '/opendata': 'http://127.0.0.1:3000' } },
});
