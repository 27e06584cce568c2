// baseline: a hot function kept in V8's baseline tier (Sparkplug; run with
// --no-opt --no-maglev so nothing optimizes it), called by two callers
// doing 1 and 3 units of work per round. True inclusive shares of the work:
// callerOne 1/4, callerThree 3/4, work about 100 %.
'use strict';
function work(n, seed) {
  let x = seed | 0;
  for (let i = 0; i < n; i++) x = (Math.imul(x, 1103515245) + i) | 0;
  return x;
}
function callerOne(seed) { return work(20000, seed); }
function callerThree(seed) { return work(60000, seed); }
const ROUNDS = +(process.argv[2] || 2000);
let sink = 0;
for (let r = 0; r < ROUNDS; r++) {
  sink ^= callerOne(r);
  sink ^= callerThree(r);
}
console.log('sink', sink);
