// Two isolates: the main thread and a worker each run their own hot function.
'use strict';
const { Worker, isMainThread } = require('worker_threads');
function mainSpin(n) { let s = 0; for (let i = 0; i < n; i++) s = (s + i * 7) % 1000003; return s; }
function workerSpin(n) { let s = 0; for (let i = 0; i < n; i++) s = (s + i * 11) % 999983; return s; }
if (isMainThread) {
  const w = new Worker(__filename);
  let s = 0;
  for (let r = 0; r < 300; r++) s += mainSpin(1e6);
  w.on('exit', () => console.log('main', s));
} else {
  let s = 0;
  for (let r = 0; r < 300; r++) s += workerSpin(1e6);
  console.log('worker', s);
}
