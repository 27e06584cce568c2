// The README's demo: a small batch job with three hot functions, each a
// different story in the tierprof report (about 3 s on a 2-core VM).
//
//   checksum     steady monomorphic arithmetic: TurboFan compiles it once.
//   pricing      a deoptimization loop: its optimized code depends on the
//                prototype of Item, and every batch a "plugin" adds a method
//                to that prototype, so V8 throws the code away ("code
//                dependencies") and optimizes it again, batch after batch.
//   scoreRules   interpreter-bound: a rule table compiled into one generated
//                function so big that TurboFan refuses it; it never leaves
//                Ignition/Sparkplug however hot it gets.
'use strict';
const vm = require('vm');

function checksum(data) {
  let h = 0;
  for (let i = 0; i < data.length; i++) h = (h * 31 + data[i]) | 0;
  return h;
}

class Item {
  constructor(price, qty) { this.price = price; this.qty = qty; }
  amount() { return this.price * this.qty; }
}

function pricing(items) {
  let total = 0;
  for (let i = 0; i < items.length; i++) total += items[i].amount();
  return total;
}

// A generated rule table (think templating or protocol code generators):
// over V8's 60 KB bytecode limit for optimization.
const rules = [];
for (let i = 0; i < 4000; i++)
  rules.push(`if (v % ${i + 3} === ${i % (i + 3)}) score += ${(i % 7) + 1};`);
const scoreRules = vm.runInThisContext(
  `(function scoreRules(v) {\n  let score = 0;\n  ${rules.join('\n  ')}\n  return score;\n})`,
  { filename: 'generated-rules.js' });

const BATCHES = +(process.argv[2] || 300);
const data = new Int32Array(200000).map((_, i) => (i * 2654435761) | 0);
const items = [];
for (let i = 0; i < 20000; i++) items.push(new Item(i % 100, (i % 7) + 1));

let h = 0, total = 0, score = 0;
for (let batch = 0; batch < BATCHES; batch++) {
  for (let r = 0; r < 5; r++) h ^= checksum(data);
  for (let r = 0; r < 6; r++) total += pricing(items);
  for (let v = 0; v < 40; v++) score += scoreRules(batch * 100 + v);
  Item.prototype['plugin' + batch] = function () { return batch; };
}
console.log('checksum', h, 'total', total, 'score', score);
