// child_process.fork(): the child inherits the parent's node options.
'use strict';
const { fork } = require('child_process');
function childSpin(n) { let s = 0; for (let i = 0; i < n; i++) s = (s + i * 13) % 1000033; return s; }
if (process.argv[2] === 'child') {
  let s = 0;
  for (let r = 0; r < 400; r++) s += childSpin(1e6);
  console.log('child', s);
} else {
  fork(__filename, ['child']).on('exit', (code) => console.log('parent saw child exit', code));
}
