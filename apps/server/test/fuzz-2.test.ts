import { fuzzRoutes } from './fuzz.js';

// the second half of the routes (fuzz.ts); fuzz-1.test.ts takes the first half on the other worker
fuzzRoutes(1, 2);
