// A deopt loop with a known V8 reason: every round a property is added to
// the prototype whose map the optimized code of sumAreas depends on, so V8
// invalidates it ("code dependencies") and optimizes it again.
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
const rects = [];
for (let i = 0; i < 5000; i++) rects.push(new Rect(i % 13, i % 7));
let total = 0;
const ROUNDS = +(process.argv[2] || 600);
for (let r = 0; r < ROUNDS; r++) {
  for (let k = 0; k < 20; k++) total += sumAreas(rects);
  Rect.prototype['ext' + r] = r;
}
console.log('total', total);
