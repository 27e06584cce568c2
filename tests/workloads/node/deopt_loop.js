// A deopt loop with a known V8 reason: every round a property is added to
// the prototype whose map the optimized code of sumAreas depends on, so V8
// invalidates it ("code dependencies") and optimizes it again.
//
//   node deopt_loop.js [ROUNDS] [--fixed]
//
// --fixed does the same work with the loop fixed: the per-round properties
// go to a separate object, so the prototype's map stays stable and the
// optimized sumAreas survives (the before/after pair for tierprof diff).
'use strict';
class Rect {
  constructor(w, h) { this.w = w; this.h = h; }
  area() { return this.w * this.h; }
}
function sumAreas(rects) {
  let s = 0;
  for (let i = 0; i < rects.length; i++) s += rects[i].area();
  return s;
}
const args = process.argv.slice(2);
const fixed = args.includes('--fixed');
const rounds = args.find((a) => a !== '--fixed');
const rects = [];
for (let i = 0; i < 5000; i++) rects.push(new Rect(i % 13, i % 7));
const extras = {};
let total = 0;
const ROUNDS = +(rounds || 600);
for (let r = 0; r < ROUNDS; r++) {
  for (let k = 0; k < 20; k++) total += sumAreas(rects);
  if (fixed)
    extras['ext' + r] = r;
  else
    Rect.prototype['ext' + r] = r;
}
console.log('total', total);
