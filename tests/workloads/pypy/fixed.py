# A fixed amount of PyPy work for bench/pypy_overhead.sh: a steady JIT loop,
# then rounds that throw their loop away (class writes), then eval() calls the
# JIT gives up on. Same work every run, unlike the time-bounded workloads.
import sys


class Config(object):
    scale = 3


def hot_sum(n):
    total = 0
    for i in range(n):
        total += (i * 7) % 13
    return total


def scaled_sum(n):
    total = 0
    for i in range(n):
        total += i % 17 * Config.scale
    return total


def eval_sum(n):
    total = 0
    for i in range(n):
        total += eval("i % 7 + 1")
    return total


def main():
    scale = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    total = hot_sum(200000000 * scale)
    for r in range(300 * scale):
        total += scaled_sum(100000)
        setattr(Config, "round%d" % r, r)
    total += eval_sum(20000 * scale)
    print("fixed", total > 0)


main()
