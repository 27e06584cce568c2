# A function whose trace always aborts: its hot loop evaluates a string, and
# PyPy gives up every trace through eval() (ABORT_FORCE_QUASIIMMUT), so it
# tries again and again and the function keeps running in the interpreter
# (tests/integration/pypy_record.sh).
import sys


def eval_sum(n):
    total = 0
    for i in range(n):
        total += eval("i % 7 + 1")
    return total


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    import time
    end = time.monotonic() + seconds
    total = 0
    while time.monotonic() < end:
        total += eval_sum(2000)
    print("aborts", total > 0)


main()
