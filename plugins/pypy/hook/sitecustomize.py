# tierprof's PyPy startup hook (plugins/pypy). tierprof puts this directory
# first on PYTHONPATH when it launches pypy; site.py imports this module
# before the program runs. It records every JIT loop and bridge PyPy compiles
# (pypyjit.set_compile_hook) and every trace PyPy gives up on
# (pypyjit.set_abort_hook), with CLOCK_MONOTONIC times, into
# $TIERPROF_PYPY_OUT/pypy-hook-<pid>.txt, then hides itself: its directory
# leaves sys.path and PYTHONPATH, the variables tierprof set leave os.environ,
# and a sitecustomize module of the user's own is imported in its place.
# It never writes to stdout or stderr and never raises into the program.
#
# File format (one record per line, fields separated by one space; the
# Python name parts after the fixed fields are separated by '|', which the
# hook removes from names):
#   # tierprof-pypy-hook 1
#   S <mono_ns> <pid>                              hook installed
#   L <mono_ns> <kind> <addr> <len> <id> <where>   kind: loop|entry|bridge;
#        addr, len, id in hex (id: loop number, or guard address of a bridge)
#   A <mono_ns> <reason> <where>                   trace aborted (ABORT_TOO_LONG, ...)
#   E <mono_ns>                                    interpreter exiting
#   V <mono_ns> start|stop                         PyPy's vmprof sampler started
#        or stopped writing $TIERPROF_PYPY_OUT/vmprof-<pid>.prof (native
#        stacks on: they tell JIT code from libpypy); TIERPROF_PYPY_VMPROF=0
#        leaves it off
#   where := func|file|firstline|line|bytecode     (numbers decimal; file and
#        line may be empty), or  driver|<jitdriver's own text>  for RPython loops


def _tierprof_install():
    import os
    import sys

    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = os.environ.pop("TIERPROF_PYPY_OUT", None)
    pypylog = os.environ.pop("TIERPROF_PYPY_PYPYLOG", None)
    use_vmprof = os.environ.pop("TIERPROF_PYPY_VMPROF", "0") != "0"
    if pypylog is not None and os.environ.get("PYPYLOG") == pypylog:
        del os.environ["PYPYLOG"]  # children do not inherit tierprof's log
    # Leave the paths as the user set them.
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    pp = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep)]
    if here in pp:
        pp.remove(here)
        if any(pp):
            os.environ["PYTHONPATH"] = os.pathsep.join(pp)
        else:
            del os.environ["PYTHONPATH"]
    mod = sys.modules.pop("sitecustomize", None)
    try:
        import sitecustomize  # noqa: F401  the user's own, if any
    except ImportError:
        if mod is not None:
            sys.modules["sitecustomize"] = mod
    if not out_dir:
        return
    try:
        import pypyjit
    except ImportError:
        return  # not PyPy, or its JIT is disabled
    from time import monotonic_ns

    state = {"f": None, "lines": None, "vmprof": None}

    def open_file():
        try:
            f = open(os.path.join(out_dir, "pypy-hook-%d.txt" % os.getpid()), "w",
                     buffering=1, encoding="utf-8", errors="replace")
        except OSError:
            state["f"] = None
            return
        f.write("# tierprof-pypy-hook 1\nS %d %d\n" % (monotonic_ns(), os.getpid()))
        state["f"] = f

    def clean(s):
        return str(s).replace("|", "/").replace("\n", " ").replace("\r", " ")

    def line_of(code, offset):
        # The source line of a bytecode offset (co_lnotab, via dis).
        cache = state["lines"]
        if cache is None:
            import dis
            cache = state["lines"] = ({}, dis)
        table = cache[0].get(code)
        if table is None:
            table = cache[0][code] = list(cache[1].findlinestarts(code))
        line = code.co_firstlineno
        for off, ln in table:
            if off > offset:
                break
            line = ln
        return line

    def where(greenkey, driver):
        if isinstance(greenkey, tuple) and greenkey and hasattr(greenkey[0], "co_name"):
            code = greenkey[0]
            off = greenkey[1] if len(greenkey) > 1 and isinstance(greenkey[1], int) else 0
            return "%s|%s|%d|%d|%d" % (clean(code.co_name), clean(code.co_filename),
                                       code.co_firstlineno, line_of(code, off), off)
        return "driver|%s" % clean(greenkey if greenkey is not None else driver)

    def bridge_where(info):
        # A bridge has no greenkey: name it by the first Python position it runs.
        for op in info.operations:
            if isinstance(op, pypyjit.DebugMergePoint):
                code = op.pycode
                return "%s|%s|%d|%d|%d" % (clean(code.co_name), clean(code.co_filename),
                                           code.co_firstlineno,
                                           line_of(code, op.bytecode_no), op.bytecode_no)
        return "driver|%s" % clean(info.jitdriver_name)

    def on_compile(info):
        f = state["f"]
        if f is None:
            return
        try:
            if info.type == "bridge":
                kind, ident, w = "bridge", info.bridge_no, bridge_where(info)
            else:
                kind = "loop" if info.type == "loop" else "entry"
                ident, w = info.loop_no, where(info.greenkey, info.jitdriver_name)
            f.write("L %d %s %x %x %x %s\n" % (monotonic_ns(), kind, info.asmaddr,
                                               info.asmlen, ident, w))
        except Exception:
            pass

    def on_abort(driver, greenkey, reason, operations):
        f = state["f"]
        if f is None:
            return
        try:
            f.write("A %d %s %s\n" % (monotonic_ns(), clean(reason).replace(" ", "_"),
                                      where(greenkey, driver)))
        except Exception:
            pass

    def start_vmprof():
        # The period is a request: the kernel's SIGPROF timer rounds it to
        # its tick (4 ms at HZ=250).
        f = state["f"]
        try:
            import _vmprof
            fd = os.open(os.path.join(out_dir, "vmprof-%d.prof" % os.getpid()),
                         os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
        except (ImportError, OSError):
            return
        try:
            _vmprof.enable(fd, 0.001, 0, 0, 1, 0)
        except Exception:
            os.close(fd)
            return
        state["vmprof"] = (os.getpid(), fd, _vmprof)
        f.write("V %d start\n" % monotonic_ns())

    def stop_vmprof(in_child=False):
        vm = state["vmprof"]
        if vm is None:
            return
        state["vmprof"] = None
        try:
            if in_child:
                # The descriptor is the parent's file: what this process
                # still holds to write goes nowhere.
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, vm[1])
                os.close(null)
            vm[2].disable()
        except Exception:
            pass
        try:
            os.close(vm[1])
        except OSError:
            pass
        if not in_child and state["f"] is not None:
            state["f"].write("V %d stop\n" % monotonic_ns())

    def after_fork():
        stop_vmprof(in_child=True)
        state["f"] = None
        open_file()
        if state["f"] is not None and use_vmprof:
            start_vmprof()

    def on_exit():
        stop_vmprof()
        f = state["f"]
        if f is not None:
            try:
                f.write("E %d\n" % monotonic_ns())
                f.close()
            except Exception:
                pass
            state["f"] = None

    open_file()
    if state["f"] is None:
        return
    pypyjit.set_compile_hook(on_compile)
    pypyjit.set_abort_hook(on_abort)
    if use_vmprof:
        start_vmprof()
    import atexit
    atexit.register(on_exit)
    if hasattr(os, "register_at_fork"):
        # A forked child writes its own file, named by its pid.
        os.register_at_fork(after_in_child=after_fork)


try:
    _tierprof_install()
except Exception:
    pass
del _tierprof_install
