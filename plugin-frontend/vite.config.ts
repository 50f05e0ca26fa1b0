// Builds the viewer into static files the server serves at `/`: everything
// bundled (no CDN) and relative asset paths, so it works offline and under any prefix.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const frontendRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: frontendRoot,
  base: './',
  logLevel: 'warn',
  build: {
    outDir: `${repoRoot}dist/plugin-frontend`,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // uPlot and Lit together stay well under this; a larger bundle means an accidental import.
    chunkSizeWarningLimit: 400,
  },
});
