// A hot function TurboFan refuses: its bytecode is over V8's size limit for
// optimization, so it stays in Ignition/Sparkplug however hot it gets.
'use strict';
const vm = require('vm');
const lines = [];
for (let i = 0; i < 4000; i++) lines.push(`if (v % ${i + 3} === ${i % (i + 3)}) s += ${(i % 5) + 1};`);
const hugeRules = vm.runInThisContext(
  `(function hugeRules(v) {\n let s = 0;\n ${lines.join('\n ')}\n return s;\n})`,
  { filename: 'huge_rules.js' });
let score = 0;
const CALLS = +(process.argv[2] || 12000);
for (let v = 0; v < CALLS; v++) score += hugeRules(v);
console.log('score', score);
