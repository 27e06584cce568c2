// A monomorphic hot function: TurboFan compiles it once and it stays so.
'use strict';
function mix(a, b) { return (a * 31 + b) | 0; }
function steadyLoop(n, acc) { for (let i = 0; i < n; i++) acc = mix(acc, i); return acc; }
let acc = 0;
const ROUNDS = +(process.argv[2] || 150);
for (let r = 0; r < ROUNDS; r++) acc = steadyLoop(1000000, acc);
console.log('acc', acc);
