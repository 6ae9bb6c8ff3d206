// Bundle the extension into dist/ (vscode is provided by the editor at run time).
import { build } from 'esbuild';
import { copyFileSync } from 'node:fs';

await build({
  entryPoints: ['src/extension.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  external: ['vscode'],
  minify: true,
  sourcemap: false,
  outfile: 'dist/extension.js',
  logLevel: 'warning',
});
// vscode-languageclient runs this script next to its own module to stop a server on Linux and macOS.
copyFileSync('node_modules/vscode-languageclient/lib/node/terminateProcess.sh', 'dist/terminateProcess.sh');
