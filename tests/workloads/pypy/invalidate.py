# An invalidation loop: every round writes a class attribute, which changes
# the class's version tag, a quasi-immutable field the compiled loop depends
# on. PyPy throws the loop away (jit-invalidate-quasi-immutable) and traces
# it again next round (tests/integration/pypy_record.sh).
import sys


class Config(object):
    scale = 3


def scaled_sum(n):
    total = 0
    for i in range(n):
        total += i % 17 * Config.scale
    return total


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    import time
    end = time.monotonic() + seconds
    rounds = 0
    while time.monotonic() < end:
        scaled_sum(300000)
        rounds += 1
        setattr(Config, "round%d" % rounds, rounds)  # a new attribute: new version tag
    print("invalidate", rounds > 0)


main()
