// V8's own view of the tiers (run with --allow-natives-syntax): the three
// workloads' functions warmed up, then %GetOptimizationStatus of each, as JSON.
'use strict';
const vm = require('vm');
function mix(a, b) { return (a * 31 + b) | 0; }
function steadyLoop(n, acc) { for (let i = 0; i < n; i++) acc = mix(acc, i); return acc; }
const lines = [];
for (let i = 0; i < 4000; i++) lines.push(`if (v % ${i + 3} === ${i % (i + 3)}) s += ${(i % 5) + 1};`);
const hugeRules = vm.runInThisContext(
  `(function hugeRules(v) {\n let s = 0;\n ${lines.join('\n ')}\n return s;\n})`,
  { filename: 'huge_rules.js' });
let acc = 0;
for (let r = 0; r < 3000; r++) acc = steadyLoop(10000, acc);
for (let v = 0; v < 2000; v++) acc += hugeRules(v);
// Bits of V8's OptimizationStatus (src/runtime/runtime.h).
const TURBOFANNED = 1 << 6, INTERPRETED = 1 << 7, BASELINE = 1 << 15;
const view = (f) => {
  const s = %GetOptimizationStatus(f);
  return { status: s, turbofan: !!(s & TURBOFANNED), interpreted: !!(s & INTERPRETED), baseline: !!(s & BASELINE) };
};
console.log(JSON.stringify({ steadyLoop: view(steadyLoop), hugeRules: view(hugeRules), acc }));
