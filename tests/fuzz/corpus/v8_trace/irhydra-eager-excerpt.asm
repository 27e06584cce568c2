0x42a410d2  comment  (;;; <@132,#169> return)
0x42a410e3  position  (599)
0x42a410e3  comment  (;;; <@88,#57> -------------------- Deferred stack-check --------------------)
0x42a410ef  code target (STUB)  (0x42a0a140)
0x42a410f6  position  (635)
0x42a410f6  comment  (;;; <@130,#174> -------------------- Deferred number-tag-d --------------------)
0x42a41104  code target (STUB)  (0x42a0a140)
0x42a4110f  comment  (;;; -------------------- Jump table --------------------)
0x42a4110f  comment  (;;; jump table entry 0: deoptimization bailout 2.)
0x42a41110  runtime entry  (deoptimization bailout 2)
0x42a41114  comment  (;;; jump table entry 1: deoptimization bailout 3.)
0x42a41115  runtime entry  (deoptimization bailout 3)
0x42a41119  comment  (;;; jump table entry 2: deoptimization bailout 4.)
0x42a4111a  runtime entry  (deoptimization bailout 4)
0x42a4111e  comment  (;;; jump table entry 3: deoptimization bailout 5.)
0x42a4111f  runtime entry  (deoptimization bailout 5)
0x42a41128  comment  (;;; Safepoint table.)

--- End code ---
[deoptimizing (DEOPT eager): begin 0x39018cd9 loop (opt #5) @5, FP to SP delta: 24]
            ;;; jump table entry 3: deoptimization bailout 5.
  translating loop => node=26, height=8
    0xbffff3b0: [top + 28] <- 0x5c508091 ; ebx 0x5c508091 <undefined>
    0xbffff3ac: [top + 24] <- 0x5a05e3c5 ; edx 0x5a05e3c5 <a Vec2 with map 0x2360e9f9>
    0xbffff3a8: [top + 20] <- 0x42a3f7aa ; caller's pc
    0xbffff3a4: [top + 16] <- 0xbffff3c0 ; caller's fp
    0xbffff3a0: [top + 12] <- 0x39008081; context
    0xbffff39c: [top + 8] <- 0x39018cd9; function
    0xbffff398: [top + 4] <- 0.000000e+00 ; xmm1
    0xbffff394: [top + 0] <- 0x00000000 ; eax 0
[deoptimizing (eager): end 0x39018cd9 loop @5 => node=26, pc=0x42a3f9b5, state=NO_REGISTERS, alignment=with padding, took 0.025 ms]
Materialized a new heap number 0x0 [0.000000e+00] in slot 0xbffff398
[deoptimizing (DEOPT eager): begin 0x39018ca5 len (opt #4) @2, FP to SP delta: 12]
            ;;; jump table entry 1: deoptimization bailout 2.
  translating len => node=3, height=0
    0xbffff38c: [top + 20] <- 0x5c508091 ; [sp + 24] 0x5c508091 <undefined>
    0xbffff388: [top + 16] <- 0x5a05e3c5 ; eax 0x5a05e3c5 <a Vec2 with map 0x2360e9f9>
    0xbffff384: [top + 12] <- 0x42a3f952 ; caller's pc
    0xbffff380: [top + 8] <- 0xbffff3a4 ; caller's fp
    0xbffff37c: [top + 4] <- 0x39008081; context
    0xbffff378: [top + 0] <- 0x39018ca5; function
[deoptimizing (eager): end 0x39018ca5 len @2 => node=3, pc=0x42a3fa9b, state=NO_REGISTERS, alignment=no padding, took 0.023 ms]
--- FUNCTION SOURCE (Vec2.len) id{6,0} ---
() {
    return Math.sqrt(this.len2());
  }

--- END ---
--- FUNCTION SOURCE (Vec2.len2) id{6,1} ---
() {
    return this.x * this.x + this.y * this.y;
  },
--- END ---
INLINE (Vec2.len2) id{6,1} AS 1 AT <0:31>
--- FUNCTION SOURCE (x) id{6,2} ---
() { return this._x; },
--- END ---
INLINE (x) id{6,2} AS 2 AT <1:20>
INLINE (x) id{6,2} AS 3 AT <1:29>
--- FUNCTION SOURCE (y) id{6,3} ---
() { return this._y; },
