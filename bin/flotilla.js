#!/usr/bin/env node
// The CLI is TypeScript run directly by Node's type stripping, on by default from Node 22.18 and 23.6.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const strips = major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);
if (!strips || process.features.typescript === false) {
  process.stderr.write(
    `flotilla runs its TypeScript sources directly, which needs Node.js 22.18+ or 23.6+ with type stripping on; this is Node.js ${process.versions.node}.\n` +
      'Run it through npm (npx flotilla, or npm run flotilla --), which uses the Node.js 24 this project pins, or upgrade Node.js.\n',
  );
  process.exit(1);
}
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
