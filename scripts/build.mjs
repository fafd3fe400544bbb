// `npm run build`: always rebuilds dist/ (see build-dist.mjs).
import { fileURLToPath } from 'node:url';
import { buildDist } from './build-dist.mjs';

await buildDist(fileURLToPath(new URL('..', import.meta.url)));
