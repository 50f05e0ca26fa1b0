// The compiled codec loads the .proto files at run time from beside itself,
// so the build places a copy of them next to dist/proto/index.js.
import { cpSync, mkdirSync, readdirSync } from 'node:fs';

mkdirSync('dist/proto', { recursive: true });
for (const name of readdirSync('proto')) {
  if (name.endsWith('.proto')) cpSync(`proto/${name}`, `dist/proto/${name}`);
}
