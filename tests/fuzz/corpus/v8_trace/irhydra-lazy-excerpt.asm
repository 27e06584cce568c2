0x35640499  runtime entry  (deoptimization bailout 5)
0x3564049d  comment  (;;; jump table entry 4: deoptimization bailout 7.)
0x3564049e  runtime entry  (deoptimization bailout 7)
0x356404a2  comment  (;;; jump table entry 5: deoptimization bailout 8.)
0x356404a3  runtime entry  (deoptimization bailout 8)
0x356404ac  comment  (;;; Safepoint table.)

--- End code ---
[deoptimize marked code in all contexts]
[deoptimizer unlinked: loop1 / 4ca18c31]
[deoptimizing (DEOPT lazy): begin 0x4ca18c31 loop1 (opt #3) @6, FP to SP delta: 40]
  translating loop1 => node=54, height=16
    0xbffff3c0: [top + 36] <- 0x4ca1742d ; [sp + 8] 0x4ca1742d <JS Global Object>
    0xbffff3bc: [top + 32] <- 0x59808081 ; [sp + 12] 0x59808081 <a K with map 0x4cc0e981>
    0xbffff3b8: [top + 28] <- 0x3563f685 ; caller's pc
    0xbffff3b4: [top + 24] <- 0xbffff3d0 ; caller's fp
    0xbffff3b0: [top + 20] <- 0x4ca08081; context
    0xbffff3ac: [top + 16] <- 0x4ca18c31; function
    0xbffff3a8: [top + 12] <- 0x5a808091 <undefined> ; literal
    0xbffff3a4: [top + 8] <- 0x00009c40 ; [sp + 4] 20000
    0xbffff3a0: [top + 4] <- 0x00000000 ; [sp + 0] 0
    0xbffff39c: [top + 0] <- 0x00000000 ; eax 0
[deoptimizing (lazy): end 0x4ca18c31 loop1 @6 => node=54, pc=0x3563f815, state=TOS_REG, alignment=with padding, took 0.024 ms]
--- FUNCTION SOURCE (loop1) id{4,0} ---
(v) {
  // In this loop function foo() changes prototype
