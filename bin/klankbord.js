#!/usr/bin/env node
// The CLI is TypeScript; tsx compiles it on the fly so `npx klankbord` needs no build step.
import { register } from 'tsx/esm/api';

register();
const { tuneHeap } = await import('../server/heap.ts');
tuneHeap();
const { main } = await import('../server/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
