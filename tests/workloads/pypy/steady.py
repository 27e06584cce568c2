# A steady JIT loop: one hot function, compiled once, then running in its
# loop for the rest of the run (tests/integration/pypy_record.sh).
import sys


def hot_sum(n):
    total = 0
    for i in range(n):
        total += (i * 7) % 13
    return total


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    import time
    end = time.monotonic() + seconds
    total = 0
    while time.monotonic() < end:
        total += hot_sum(2000000)
    print("steady", total > 0)


main()
